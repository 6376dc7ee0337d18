"""A report from end to end: its data, its rendering, its recipients; sent or previewed."""

from __future__ import annotations

import base64
import html
from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from pipelines import settings
from pipelines.reports import content, render
from pipelines.reports.config import REPORTS, Audience, ReportsConfig
from pipelines.reports.delivery import (
    MailDelivery,
    Outcome,
    build_message,
    eml_bytes,
    report_key,
    safe_stem,
)
from pipelines.reports.document import to_html


def rendered(
    name: str, report_date: date, config: ReportsConfig, halls: tuple[str, ...] | None = None
) -> render.Rendered:
    """Report ``name``; ``halls`` cuts the monthly evaluation to those halls (config.py
    allows a hall scope for no other report)."""
    if name == "daily":
        return render.daily(content.daily(report_date), config)
    if name == "weekly":
        return render.weekly(content.weekly(report_date, config.trend_weeks), config)
    if name == "monthly":
        return render.monthly(content.monthly(report_date, halls), config)
    raise ValueError(f"unknown report {name!r}; one of {REPORTS}")


def _stem(name: str, period: str, audience: Audience) -> str:
    halls = f"_{'-'.join(audience.halls)}" if audience.halls else ""
    return f"{name}_{period}{halls}"


def _messages(
    name: str, report_date: date, config: ReportsConfig
) -> Iterator[tuple[Audience, render.Rendered, EmailMessage]]:
    """Report ``name`` dated ``report_date`` as each of its audiences gets it
    (config.ReportsConfig.audiences): the audience, its report and the mail of it."""
    for audience in config.audiences(name):
        report = rendered(name, report_date, config, audience.halls)
        msg = build_message(
            report,
            sender=config.sender,
            recipients=audience.recipients,
            domain=config.sender_domain,
        )
        yield audience, report, msg


def send(name: str, report_date: date, config: ReportsConfig, mail: MailDelivery) -> list[Outcome]:
    """Send report ``name`` dated ``report_date`` to its roles, once per period, recipients
    and hall scope: one mail per audience."""
    return [
        mail.send(
            msg,
            keys=[report_key(name, report.period, audience.recipients, audience.halls)],
            stem=_stem(name, report.period, audience),
        )
        for audience, report, msg in _messages(name, report_date, config)
    ]


def preview_dir() -> Path:
    return settings.paths().outbox / "preview"


def preview(name: str, report_date: date, config: ReportsConfig) -> list[tuple[Path, Path]]:
    """Write each audience's .eml and a browser-viewable .html (images inline), unsent."""
    folder = preview_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for audience, report, msg in _messages(name, report_date, config):
        stem = safe_stem(_stem(name, report.period, audience))
        eml = folder / f"{stem}.eml"
        eml.write_bytes(eml_bytes(msg))
        page = to_html(report.document)
        # A browser cannot resolve cid: links outside a mail, so the preview embeds images.
        for image in report.document.images:
            data = base64.b64encode(image.png).decode("ascii")
            cid = f'src="cid:{html.escape(image.cid)}"'
            page = page.replace(cid, f'src="data:image/png;base64,{data}"')
        page_path = folder / f"{stem}.html"
        page_path.write_text(page, encoding="utf-8")
        written.append((eml, page_path))
    return written
