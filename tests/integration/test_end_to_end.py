"""Demo data through `python -m pipelines.build` (what `make build` runs), then the
serving copy answers what the dashboard and reports ask."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import REPO_ROOT

pytestmark = pytest.mark.slow

PHONE = re.compile(r"(?<![0-9a-f])1[3-9][0-9]{9}(?![0-9a-f])")
HASH_COLUMNS = ("customer_key", "content_hash")


def _build(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.build"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    env = {**os.environ, "MANYI_DATA_DIR": str(root), "MANYI_PII_KEY": "e2e-key"}
    env.pop("MANYI_AS_OF", None)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines.synthetic",
            "--scale",
            "demo",
            "--subscribers",
            "2500",
            "--days",
            "40",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    first = _build(env)
    assert first.returncode == 0, first.stderr[-3000:]
    return root, env


def _serving(root: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(root / "warehouse" / "serving.duckdb"), read_only=True)


def test_serving_copy_holds_audit_and_every_mart(built):
    root, _ = built
    with _serving(root) as con:
        tables = {
            r[0]
            for r in con.execute(
                "SELECT schema_name || '.' || table_name FROM duckdb_tables()"
            ).fetchall()
        }
    assert {
        "audit.load_log",
        "audit.quarantine",
        "audit.build_info",
        "marts.kpi_values",
        "marts.kpi_catalog",
        "marts.staff_evaluation_monthly",
        "marts.hotline_intervals",
        "marts.tariff_recommendations",
        "marts.complaint_reply_watchlist",
        "marts.vas_orders_without_consent",
        "marts.double_refund_violations",
        "marts.suspensions_without_reminder",
        "marts.data_quality_orphans",
        "marts.data_quality_freshness",
    } <= tables
    assert not any(t.startswith("raw.") for t in tables), "readers get no raw rows"


def test_every_catalogue_kpi_has_values_with_targets_from_the_catalogue(built):
    root, _ = built
    with (REPO_ROOT / "dbt_project" / "seeds" / "kpi_catalog.csv").open(encoding="utf-8") as f:
        catalogue = {r["kpi_id"]: r for r in csv.DictReader(f)}
    with _serving(root) as con:
        rows = con.execute(
            "SELECT kpi_id, any_value(target), count(*) FROM marts.kpi_values "
            "WHERE segment_type = 'all' GROUP BY 1"
        ).fetchall()
        as_of = con.execute("SELECT as_of FROM audit.build_info").fetchone()[0]
        latest = con.execute("SELECT max(period_start) FROM marts.kpi_values").fetchone()[0]
    assert {r[0] for r in rows} == set(catalogue)
    for kpi_id, target, _ in rows:
        expected = float(catalogue[kpi_id]["target"]) if catalogue[kpi_id]["target"] else None
        assert target == expected, kpi_id
    assert latest <= as_of.date(), "no period after the as_of date"


def test_the_dashboard_queries_answer(built):
    root, _ = built
    with _serving(root) as con:
        overview = con.execute(
            "SELECT v.kpi_id, c.name_zh, v.value, v.target, v.meets_target FROM marts.kpi_values v "
            "JOIN marts.kpi_catalog c USING (kpi_id) WHERE grain = 'month' "
            "AND segment_type = 'all' ORDER BY c.display_order"
        ).fetchall()
        staff = con.execute(
            "SELECT staff_name, valid_replies, satisfaction_wilson_lower, rank_in_team "
            "FROM marts.staff_evaluation_monthly"
        ).fetchall()
        heat = con.execute("SELECT count(*) FROM marts.hotline_intervals").fetchone()[0]
    assert overview and all(name for _, name, *_ in overview)
    assert staff and all(name for name, *_ in staff)
    # Ranked exactly where the sample allows it (kpis.md: at least 30 valid replies).
    assert all((rank is not None) == (valid >= 30) for _, valid, _, rank in staff)
    assert heat > 0


def test_no_plain_phone_number_in_the_warehouse_or_serving_copy(built):
    root, _ = built
    for name in ("manyi.duckdb", "serving.duckdb"):
        with duckdb.connect(str(root / "warehouse" / name), read_only=True) as con:
            columns = con.execute(
                "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
                f"WHERE data_type = 'VARCHAR' AND column_name NOT IN {HASH_COLUMNS} "
                "AND NOT internal"
            ).fetchall()
            for schema, table, column in columns:
                hits = con.execute(
                    f'SELECT "{column}" FROM {schema}.{table} '
                    f"""WHERE regexp_matches("{column}", '1[3-9][0-9]{{9}}')"""
                ).fetchall()
                assert not [h for (h,) in hits if PHONE.search(h)], (name, schema, table, column)


def test_a_second_build_changes_nothing(built):
    root, env = built
    with _serving(root) as con:
        before = con.execute("SELECT * FROM marts.kpi_values ORDER BY ALL").fetchall()
        loads = con.execute("SELECT count(*) FROM audit.load_log").fetchone()[0]
    second = _build(env)
    assert second.returncode == 0, second.stderr[-3000:]
    with _serving(root) as con:
        assert con.execute("SELECT * FROM marts.kpi_values ORDER BY ALL").fetchall() == before
        assert con.execute("SELECT count(*) FROM audit.load_log").fetchone()[0] == loads
