"""Excel attachments (xlsxwriter), safe to open in Excel or WPS.

Cells hold untrusted text (complaint summaries, names). Text starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return can run as a formula once the file is opened,
edited or saved as CSV (formula injection), so such text gets a leading apostrophe — the
same rule as the dashboard's downloads. Numbers and times stay typed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter

from pipelines.spreadsheet import neutralise

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NUMBER_FORMATS = {
    "percent": "0.00%",
    "datetime": "yyyy-mm-dd hh:mm",
    "date": "yyyy-mm-dd",
    "money": "0.00",
    "decimal": "0.0",
}


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    # Per column: a key of _NUMBER_FORMATS, or None for plain text/integers.
    formats: Sequence[str | None]


def build(sheets: Sequence[Sheet]) -> bytes:
    buffer = io.BytesIO()
    # Without these options xlsxwriter would turn "=…" text into formulas and URLs into links.
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header = book.add_format({"bold": True, "bg_color": "#eaeef2", "border": 1})
    formats = {key: book.add_format({"num_format": f}) for key, f in _NUMBER_FORMATS.items()}
    used: set[str] = set()
    for sheet in sheets:
        ws = book.add_worksheet(_sheet_name(sheet.name, used))
        ws.write_row(0, 0, [neutralise(h) for h in sheet.headers], header)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row):
                _write(ws, r, c, value, formats.get(sheet.formats[c] or ""))
        for c, title in enumerate(sheet.headers):
            ws.set_column(c, c, max(10, min(40, 2 * len(title) + 2)))
        ws.freeze_panes(1, 0)
        if sheet.rows:
            ws.autofilter(0, 0, len(sheet.rows), len(sheet.headers) - 1)
    book.close()
    return buffer.getvalue()


def _write(ws, row: int, col: int, value: object, fmt) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (int, float, Decimal)):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, (datetime, date)):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, neutralise(str(value)))


def _sheet_name(wanted: str, used: set[str]) -> str:
    """A legal, unique sheet name: Excel forbids []:*?/\\, and allows 31 characters."""
    base = _SHEET_NAME_FORBIDDEN.sub("_", wanted).strip("'").strip() or "sheet"
    name, n = base[:31], 2
    while name.lower() in used:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
