"""Text that is safe in a spreadsheet: the one rule for every CSV and Excel Manyi writes.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can run as a
formula when the file is opened in Excel or WPS (CSV/formula injection). Such text gets a
leading apostrophe; other values are returned unchanged.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
