"""Fixtures shared by every test: an isolated data dir with a fixed pseudonymisation key."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

PII_KEY = "test-key-not-secret"
# Folders whose modules take minutes (Spark builds, then dbt builds), collected first: the
# workers take whole modules in collection order (make test: --no-loadscope-reorder), and
# a long module taken last would run on alone after every other test has finished.
SLOW_FIRST = ("tests/spark/", "tests/dbt/", "tests/integration/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next(
            (i for i, folder in enumerate(SLOW_FIRST) if item.nodeid.startswith(folder)),
            len(SLOW_FIRST),
        )

    items.sort(key=rank)


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
