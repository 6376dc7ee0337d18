"""Encoding detection of landing files, read in chunks smaller than a character."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.ingest import files


def _delivery(path: Path) -> files.Delivery:
    stat = path.stat()
    return files.Delivery("halls", path, path.name, stat.st_size, stat.st_mtime_ns, "csv")


@pytest.mark.parametrize(
    ("encoding", "prefix", "detected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gb18030", b"", "gb18030"),
    ],
)
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 20])
def test_encoding_is_detected_whatever_the_chunk_boundaries(
    tmp_path, monkeypatch, encoding, prefix, detected, chunk
):
    # ASCII runs before and after the Chinese text: with small chunks some are pure ASCII
    # while a character is still incomplete, which must not pass as valid UTF-8.
    monkeypatch.setattr(files, "CHUNK", chunk)
    path = tmp_path / "h.csv"
    path.write_bytes(prefix + "hall_id,hall_name\nH1,九州路营业厅\nH2,abc\n".encode(encoding))
    assert files.inspect(_delivery(path)).encoding == detected


def test_a_file_neither_utf8_nor_gb18030_is_unknown(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "CHUNK", 2)
    path = tmp_path / "h.csv"
    path.write_bytes(b"hall_id\nH1\x80\x30abc\n")
    assert files.inspect(_delivery(path)).encoding == "unknown"


@pytest.mark.parametrize("chunk", [1, 2])
def test_ascii_inside_a_broken_utf8_character_is_noticed(tmp_path, monkeypatch, chunk):
    # E4 'a' B9 9D is not UTF-8 (E4 B9 9D would be 九) but is GB18030: an ASCII chunk
    # between a character's bytes must not be skipped as if it were clean.
    monkeypatch.setattr(files, "CHUNK", chunk)
    path = tmp_path / "h.csv"
    path.write_bytes(b"hall_id\nH1\xe4a\xb9\x9d\n")
    assert files.inspect(_delivery(path)).encoding == "gb18030"
