"""Fixtures shared by every test (an isolated data dir with a fixed pseudonymisation key),
and how make test's two workers share the modules out."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling
from xdist.workermanage import WorkerController

PII_KEY = "test-key-not-secret"
# The Spark tests: about a third of the suite's work, in a few tests of minutes each.
SPARK_TESTS = "tests/spark/"


class SparkFirstScheduling(LoadScopeScheduling):
    """xdist's loadscope (a module's tests on one worker), except that the Spark tests are
    one unit, handed out first. Sorted by number of tests, as loadscope sorts modules, the
    Spark modules came last and ran on one worker for minutes after the other had finished;
    split over both workers, two Spark builds ran side by side. One unit also starts one
    Spark session instead of two."""

    def _split_scope(self, nodeid: str) -> str:
        return SPARK_TESTS if nodeid.startswith(SPARK_TESTS) else super()._split_scope(nodeid)

    def _assign_work_unit(self, node: WorkerController) -> None:
        if SPARK_TESTS in self.workqueue:
            self.workqueue.move_to_end(SPARK_TESTS, last=False)
        super()._assign_work_unit(node)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling | None:
    """The scheduler of ``--dist loadscope`` (make test); other modes keep xdist's own."""
    if config.getoption("dist") != "loadscope":
        return None
    return SparkFirstScheduling(config, log)


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
