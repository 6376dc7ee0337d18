"""Fixtures shared by every test: an isolated data dir with a fixed pseudonymisation key."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

PII_KEY = "test-key-not-secret"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MANYI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MANYI_PII_KEY", PII_KEY)
    monkeypatch.delenv("MANYI_AS_OF", raising=False)
    (tmp_path / "landing").mkdir()
    return tmp_path


@pytest.fixture
def warehouse(data_dir: Path):
    """A function returning a read-only connection to the test warehouse."""

    def open_() -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(data_dir / "warehouse" / "manyi.duckdb"), read_only=True)

    return open_
