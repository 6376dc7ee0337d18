"""Reading a received message back: its parts, decoded, as a mail client would."""

from __future__ import annotations

import io
import re
import struct
from email.message import EmailMessage

import openpyxl

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# An unmasked mainland mobile number: 11 digits starting 13–19.
PLAIN_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def html_body(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()


def text_body(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def text_lines(msg: EmailMessage) -> list[str]:
    return [line.rstrip() for line in text_body(msg).splitlines()]


def images(msg: EmailMessage) -> list[EmailMessage]:
    return [p for p in msg.walk() if p.get_content_type() == "image/png"]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (signature, then the IHDR chunk)."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def workbook(msg: EmailMessage) -> tuple[str, openpyxl.Workbook]:
    (attachment,) = list(msg.iter_attachments())
    return attachment.get_filename(), openpyxl.load_workbook(io.BytesIO(attachment.get_content()))


def sheet_rows(book: openpyxl.Workbook, name: str) -> list[tuple]:
    return list(book[name].iter_rows(values_only=True))
