"""A mail as a small document (sections of paragraphs, tables, images), written out twice:
as HTML and as its plain-text alternative.

Every piece of text passes through ``html.escape`` here and only here, so report code
cannot forget it: data (complaint summaries, names) is untrusted. Styles are inline
because many mail clients drop ``<style>`` blocks.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

FONT = "'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',Arial,sans-serif"
TONES = {
    "bad": "color:#cf222e;font-weight:600",
    "good": "color:#1a7f37",
    "muted": "color:#6e7781",
}
_CELL = "padding:4px 8px;border-bottom:1px solid #d8dee4;vertical-align:top"


@dataclass(frozen=True)
class Cell:
    text: str
    tone: str | None = None
    # Right-aligned, never wrapped (figures); ``nowrap`` alone for times and codes.
    numeric: bool = False
    nowrap: bool = False


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


@dataclass(frozen=True)
class Image:
    cid: str
    png: bytes
    alt: str
    width: int


Block = str | Table | Image


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    title: str
    meta: list[str]
    sections: list[Section]
    footer: list[str]
    warning: str | None = None
    language: str = "zh"

    @property
    def images(self) -> list[Image]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Image)]


def cell(
    value: object, tone: str | None = None, *, numeric: bool = False, nowrap: bool = False
) -> Cell:
    return Cell("" if value is None else str(value), tone, numeric, nowrap)


def shorten(text: str | None, limit: int) -> str:
    """Cut long free text for the mail body (before escaping, so no entity is cut)."""
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_html(doc: Document) -> str:
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if doc.language == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{esc(doc.title)}</title></head>",
        f'<body style="margin:0;padding:16px;background:#f6f8fa;font-family:{FONT};'
        'color:#1f2328;font-size:14px;line-height:1.5">',
        '<div style="max-width:900px;margin:0 auto;background:#ffffff;padding:20px 24px;'
        'border:1px solid #d0d7de;border-radius:6px">',
        f'<h1 style="font-size:22px;margin:0 0 4px">{esc(doc.title)}</h1>',
        f'<p style="margin:0 0 12px;{TONES["muted"]}">{esc(" · ".join(doc.meta))}</p>',
    ]
    if doc.warning:
        parts.append(
            '<p style="background:#fff8c5;border:1px solid #d4a72c;padding:8px 12px;'
            f'border-radius:6px">{esc(doc.warning)}</p>'
        )
    for section in doc.sections:
        parts.append(
            '<h2 style="font-size:17px;margin:20px 0 8px;border-bottom:2px solid #0969da;'
            f'padding-bottom:4px">{esc(section.title)}</h2>'
        )
        parts.extend(_block_html(block) for block in section.blocks)
    parts.append(
        f'<p style="margin-top:24px;font-size:12px;{TONES["muted"]}">'
        + "<br>".join(esc(line) for line in doc.footer)
        + "</p></div></body></html>"
    )
    return "\n".join(parts)


def _block_html(block: Block) -> str:
    esc = html.escape
    if isinstance(block, str):
        return f'<p style="margin:6px 0">{esc(block)}</p>'
    if isinstance(block, Image):
        return (
            f'<img src="cid:{esc(block.cid)}" alt="{esc(block.alt)}" width="{block.width}" '
            'style="max-width:100%;height:auto;display:block;margin:8px 0">'
        )
    # A column of figures gets a right-aligned header, like its cells.
    numeric = [
        bool(block.rows) and all(row[i].numeric for row in block.rows)
        for i in range(len(block.headers))
    ]
    head = "".join(
        f'<th style="{_CELL};text-align:{"right" if numeric[i] else "left"};'
        f'background:#f6f8fa;white-space:nowrap">{esc(h)}</th>'
        for i, h in enumerate(block.headers)
    )
    body = []
    for row in block.rows:
        cells = []
        for c in row:
            style = _CELL
            if c.numeric:
                style += ";text-align:right"
            if c.numeric or c.nowrap:
                style += ";white-space:nowrap"
            if c.tone:
                style += ";" + TONES[c.tone]
            cells.append(f'<td style="{style}">{esc(c.text)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%;'
        f'font-size:13px;margin:6px 0"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def to_text(doc: Document) -> str:
    lines = [doc.title, " · ".join(doc.meta), ""]
    if doc.warning:
        lines += [f"! {doc.warning}", ""]
    for section in doc.sections:
        lines += [f"== {section.title} =="]
        for block in section.blocks:
            if isinstance(block, str):
                lines.append(block)
            elif isinstance(block, Image):
                lines.append(f"[{block.alt}]")
            else:
                lines.append(" | ".join(block.headers))
                lines.extend(" | ".join(c.text for c in row) for row in block.rows)
        lines.append("")
    lines += ["--", *doc.footer]
    return "\n".join(lines) + "\n"
