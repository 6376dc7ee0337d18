"""Landing files: discovery, content hashing, encoding detection and transcoding.

DuckDB reads UTF-8 only (its encodings extension cannot be installed here), so a
GB18030/GBK delivery is transcoded to a UTF-8 scratch file before DuckDB sees it.
Detection is strict decoding, not guessing: a file is UTF-8 when every byte decodes as
UTF-8, else GB18030 when every byte decodes as GB18030, else it is rejected whole —
so a file is never loaded with wrong characters.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pipelines.contract import TABLE_BY_NAME

CHUNK = 1 << 20
FORMATS = {".csv": "csv", ".gz": "csv.gz", ".parquet": "parquet"}


class UnreadableFile(Exception):
    """The file cannot be decoded or opened; it is rejected whole."""


@dataclass(frozen=True)
class Delivery:
    """One landing file, as found on disk."""

    table: str
    path: Path
    source_file: str  # path relative to the landing folder: the file's identity
    size: int
    mtime_ns: int
    file_format: str
    content_hash: str = ""
    encoding: str = ""


def file_format(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".csv.gz"):
        return "csv.gz"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".parquet"):
        return "parquet"
    return None


def discover(landing: Path, tables: list[str] | None = None) -> list[Delivery]:
    """Every delivery under ``landing/<table>/``, in load order (sorted by name)."""
    found: list[Delivery] = []
    for table in tables or list(TABLE_BY_NAME):
        folder = landing / table
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            fmt = file_format(path)
            if fmt is None or not path.is_file():
                continue
            stat = path.stat()
            found.append(
                Delivery(
                    table=table,
                    path=path,
                    source_file=path.relative_to(landing).as_posix(),
                    size=stat.st_size,
                    mtime_ns=stat.st_mtime_ns,
                    file_format=fmt,
                )
            )
    return found


def _raw_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _decompressed_chunks(path: Path) -> Iterator[bytes]:
    try:
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
    except (OSError, EOFError) as exc:
        raise UnreadableFile(f"not a valid gzip file: {exc}") from exc


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    for chunk in _raw_chunks(path):
        digest.update(chunk)
    return digest.hexdigest()


def _decodes(chunks: Iterator[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        for chunk in chunks:
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def inspect(delivery: Delivery) -> Delivery:
    """Hash the file and, for CSV, detect its encoding (one pass when it is UTF-8)."""
    if delivery.file_format == "parquet":
        return replace(delivery, content_hash=content_hash(delivery.path), encoding="parquet")
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    utf8 = True
    compressed = delivery.file_format == "csv.gz"
    for chunk in _raw_chunks(delivery.path):
        digest.update(chunk)
        if utf8 and not compressed:
            # ASCII is UTF-8: most of a city's deliveries skip the decoder (unless it holds
            # the start of a character from the chunk before).
            if chunk.isascii() and decoder.getstate()[0] == b"":
                continue
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if compressed:
        utf8 = _decodes(_decompressed_chunks(delivery.path), "utf-8")
    elif utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    text_chunks = _decompressed_chunks if compressed else _raw_chunks
    if utf8:
        head = b""
        for chunk in text_chunks(delivery.path):
            head += chunk
            if len(head) >= len(codecs.BOM_UTF8):
                break
        with_bom = head.startswith(codecs.BOM_UTF8)
        encoding = "utf-8-sig" if with_bom else "utf-8"
    elif _decodes(text_chunks(delivery.path), "gb18030"):
        encoding = "gb18030"
    else:
        encoding = "unknown"
    return replace(delivery, content_hash=digest.hexdigest(), encoding=encoding)


def text_chunks(delivery: Delivery) -> Iterator[bytes]:
    """The file's bytes after decompression."""
    if delivery.file_format == "csv.gz":
        return _decompressed_chunks(delivery.path)
    return _raw_chunks(delivery.path)


def utf8_copy(delivery: Delivery, scratch: Path) -> Path:
    """Transcode a GB18030 delivery to a UTF-8 scratch file, streamed."""
    scratch.mkdir(parents=True, exist_ok=True)
    target = scratch / (delivery.source_file.replace("/", "__") + ".utf8.csv")
    decoder = codecs.getincrementaldecoder("gb18030")(errors="strict")
    with target.open("w", encoding="utf-8", newline="") as out:
        for chunk in text_chunks(delivery):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
    return target


def read_header(path: Path, compressed: bool) -> list[str]:
    """The header row of a UTF-8 CSV, names trimmed and lower-cased (the contract's matching)."""
    opener = gzip.open if compressed else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        head = handle.read(1 << 16)
    try:
        first = next(csv.reader(io.StringIO(head)), [])
    except csv.Error as exc:
        raise UnreadableFile(f"header does not parse: {exc}") from exc
    return [name.strip().lower() for name in first]
