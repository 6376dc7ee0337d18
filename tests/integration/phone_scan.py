"""Looking for plain mobile numbers in what a run leaves behind: SQLite databases (Dagster's
run storage, the sent log, the access store), text files (compute logs, dbt logs), e-mails
decoded part by part with their workbooks unpacked, and text a test collected elsewhere.

A plain number is 11 digits starting 13–19 that is no part of a longer run of digits or
hex characters (pseudonyms (customer_key) are hex HMACs, Message-IDs and run ids hold hex)
and not the fraction of a decimal number.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import zipfile
import zlib
from email import message_from_bytes, policy
from io import BytesIO
from pathlib import Path

# Nor the fraction of a decimal number: a workbook stores a time as a day count, and
# 46258.13601851852 is 2026-08-24 03:15:52, not a phone number.
PHONE = re.compile(r"(?<![0-9A-Fa-f])(?<![0-9]\.)1[3-9][0-9]{9}(?![0-9A-Fa-f])")
_SQLITE = b"SQLite format 3\x00"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def in_text(text: str) -> list[str]:
    return PHONE.findall(text)


def workbook_text(content: bytes) -> str:
    """The XML of an .xlsx file's parts: cells, sheet names, shared strings."""
    with zipfile.ZipFile(BytesIO(content)) as book:
        return "\n".join(
            book.read(name).decode("utf-8", errors="replace")
            for name in book.namelist()
            if name.endswith(".xml")
        )


def _readable(value: object) -> str:
    """A database value as text; Dagster keeps snapshots as zlib-compressed blobs."""
    if isinstance(value, bytes):
        with contextlib.suppress(zlib.error):  # not compressed: as it is
            value = zlib.decompress(value)
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def in_sqlite(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.text_factory = bytes  # every value as stored, decoded by _readable
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        hits = []
        for (table,) in ((t.decode(),) for t in tables):
            columns = [r[1].decode() for r in con.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                for (value,) in con.execute(f'SELECT "{column}" FROM "{table}"'):
                    hits += in_text(_readable(value))
        return hits
    finally:
        con.close()


def in_eml(path: Path) -> list[str]:
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    hits = in_text("\n".join(f"{k}: {v}" for k, v in msg.items()))
    for part in msg.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        if part.get_content_type() == _XLSX:
            hits += in_text(workbook_text(content))
        elif isinstance(content, str):
            hits += in_text(content)
    return hits


def in_file(path: Path) -> list[str]:
    """Plain numbers in one file, read the way its kind is read (DuckDB files are scanned
    by SQL elsewhere: their pages compress strings)."""
    head = path.read_bytes()[:16]
    if head == _SQLITE:
        return in_sqlite(path)
    if path.suffix == ".eml":
        return in_eml(path)
    return in_text(path.read_bytes().decode("utf-8", errors="replace"))


def in_tree(root: Path, *, skip: tuple[Path, ...] = ()) -> dict[str, list[str]]:
    """Every file under ``root`` but ``skip`` and DuckDB files: path → plain numbers found."""
    found = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix in {".duckdb", ".wal"} or any(path.is_relative_to(s) for s in skip):
            continue
        hits = in_file(path)
        if hits:
            found[str(path.relative_to(root))] = hits
    return found
