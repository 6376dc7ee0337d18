"""The way to Spark and back without starting Spark: the Parquet layout of the raw export,
the copy of Spark's tables into DuckDB, and the target Dagster's dbt resource runs on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import dbt_core_fixture as core
import duckdb
import pytest
from dbt_harness import DbtBuild, load_rows

from pipelines import settings
from pipelines.contract import TABLE_BY_NAME, TABLES
from pipelines.spark_export import export_raw, load_built_tables
from pipelines.transform.environment import dbt_resource


def test_spark_export_layout(
    duckdb_build_factory: Callable[[str], DbtBuild], tmp_path: Path
) -> None:
    build = duckdb_build_factory("export")
    load_rows(build.database, core.ROWS, core.LOADED_AT, "fixture.csv")
    with duckdb.connect(str(build.database), read_only=True) as con:
        counts = export_raw(con, tmp_path)
    assert counts == {t.name: len(core.ROWS.get(t.name, [])) for t in TABLES}
    # Event tables by day of their event time, snapshots and empty tables in one file.
    days = sorted(p.name for p in (tmp_path / "complaint_events").iterdir())
    assert days[0] == "event_day=2025-02-10" and len(days) == 12
    assert [p.name for p in (tmp_path / "halls").iterdir()] == ["data.parquet"]
    assert [p.name for p in (tmp_path / "payments").iterdir()] == ["data.parquet"]
    assert not list(tmp_path.glob("*.partial"))
    with duckdb.connect() as con:
        [(rows, first)] = con.execute(
            "SELECT count(*), min(received_at) FROM read_parquet(?, hive_partitioning = true)",
            [str(tmp_path / "complaints" / "**" / "*.parquet")],
        ).fetchall()
        columns = [
            r[0]
            for r in con.execute(
                "DESCRIBE SELECT * FROM read_parquet(?)",
                [str(tmp_path / "payments" / "data.parquet")],
            ).fetchall()
        ]
    assert (rows, first) == (len(core.COMPLAINTS), datetime(2025, 1, 1))
    assert columns == [name for name, _ in TABLE_BY_NAME["payments"].stored_columns]
    # A second export replaces the first.
    with duckdb.connect(str(build.database)) as con:
        con.execute("DELETE FROM raw.complaint_events WHERE event_at < DATE '2025-03-01'")
        export_raw(con, tmp_path)
    assert len(list((tmp_path / "complaint_events").iterdir())) == 7


def test_spark_tables_replace_duckdb_tables(tmp_path: Path) -> None:
    """Spark's layout <schema>.db/<table>/ (partitioned or not) into the DuckDB warehouse."""
    spark_warehouse = tmp_path / "spark"
    facts = spark_warehouse / "intermediate.db" / "int_facts" / "call_date=2025-03-03"
    facts.mkdir(parents=True)
    (spark_warehouse / "intermediate.db" / "int_empty").mkdir()
    (spark_warehouse / "marts.db" / "kpi_values").mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT 'c1' AS call_id) TO '{facts / 'part-0.parquet'}'")
        con.execute(
            "COPY (SELECT 'kpi' AS kpi_id, 0.5 AS value) TO "
            f"'{spark_warehouse / 'marts.db' / 'kpi_values' / 'part-0.parquet'}'"
        )
    warehouse = tmp_path / "manyi.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA intermediate")
        con.execute("CREATE TABLE intermediate.int_empty AS SELECT 1 AS stale")
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.kpi_values AS SELECT 'old' AS kpi_id")
        counts = load_built_tables(con, spark_warehouse)
        assert counts == {
            "intermediate.int_empty": 0,
            "intermediate.int_facts": 1,
            "marts.kpi_values": 1,
        }
        assert con.execute("SELECT * FROM intermediate.int_facts").fetchall() == [
            ("c1", date(2025, 3, 3))
        ]
        assert con.execute("SELECT * FROM marts.kpi_values").fetchall() == [("kpi", 0.5)]


def test_spark_target_of_the_dbt_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MANYI_DBT_TARGET", raising=False)
    assert dbt_resource().target == "duckdb"
    monkeypatch.setenv("MANYI_DBT_TARGET", "Spark")
    assert dbt_resource().target == "spark"
    monkeypatch.setenv("MANYI_DBT_TARGET", "postgres")
    with pytest.raises(ValueError, match="MANYI_DBT_TARGET"):
        settings.dbt_target()
