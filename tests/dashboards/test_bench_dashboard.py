"""bench.dashboard runs every page's queries against a given serving copy (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

import duckdb
from staff_billing_fixture import add_staff_billing_marts

from bench.dashboard import measure_queries, page_queries


def test_every_page_query_is_measured(kpi_copy: Path, tmp_path: Path) -> None:
    # A copy outside any data dir: the function must not need MANYI_DATA_DIR to point at it.
    elsewhere = tmp_path / "copy.duckdb"
    # Every page's marts: the KPI fixture's and the staff and billing pages'.
    with duckdb.connect(str(kpi_copy)) as con:
        add_staff_billing_marts(con, kpis=False)
    elsewhere.write_bytes(kpi_copy.read_bytes())
    result = measure_queries(elsewhere, runs=2)
    assert set(result) == set(page_queries())
    for figures in result.values():
        assert figures["runs"] == 2
        assert 0 < figures["p50_ms"] <= figures["p95_ms"]
