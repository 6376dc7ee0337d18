"""Incremental models on Spark (insert_overwrite of whole partitions, partitions dropped when
as_of moves back) keep the rows DuckDB's delete+insert keeps, build after build.

One warehouse holds the core, hotline and billing fixtures of tests/dbt. It is built, then
late and corrected deliveries arrive and as_of moves on into April, then as_of moves back:
after each build the incremental models (and what they read) must be equal on both
engines, and at the end equal to a full rebuild. The full rebuild is DuckDB's: a Spark
build costs a minute of CI, and Spark's full builds equal DuckDB's (test_spark_parity).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import dbt_core_fixture
import duckdb
import pytest
import test_billing_kpis as billing
import test_hotline_kpis as hotline
from dbt_harness import DbtBuild, load_rows, merged
from spark_harness import SparkDbt, assert_same_tables, export

SELECT = (
    "--select",
    "+int_hotline_calls__facts",
    "+tariff_recommendations",
    "+payment_sms_violations",
    "+data_alert_violations",
    "+int_sms_ratings__facts",
    "+staff_rating_replies",
    "+hotline_intervals",
    "+int_kpi_parts__ratings",
    "+int_kpi_parts__hotline",
    "+int_kpi_parts__billing",
)


FIRST = merged(
    dbt_core_fixture.ROWS,
    hotline.ROWS,
    billing.ROWS,
    {
        "payments": [billing.LATE_SMS],
        "data_usage_alerts": [billing.UNALERTED],
        "billing_disputes": billing.FIRST_DISPUTES,
    },
)
# The staff snapshot changes with the late delivery: S4 (rated in February) joins, S2 leaves.
JOINING = [s for s in FIRST["staff"] if s["staff_id"] == "S4"]
FIRST["staff"] = [s for s in FIRST["staff"] if s["staff_id"] != "S4"]
# A late repeat of a week-old call, a corrected rating, the new staff member, and the billing
# deliveries of tests/dbt (March usage of one more customer, a payment day delivered again
# without one payment, a data alert moved to the next day, another's alert delivered, which
# leaves its day without violations).
LATE = merged(
    billing.LATE,
    {
        "staff": JOINING,
        "hotline_calls": [
            hotline.agent_call("c30", hotline.C, "2025-03-03 23:00:00", "billing", 5)
        ],
        "sms_ratings": [
            {**r, "reply_text": "3"}
            for r in dbt_core_fixture.ROWS["sms_ratings"]
            if r["invitation_id"] == "R01"
        ],
    },
)


def held(build: DbtBuild) -> tuple[set[str], set[str]]:
    """Of the calls and months that come and go with as_of, those the tables hold."""
    calls = build.query(
        "SELECT call_id FROM intermediate.int_hotline_calls__facts "
        "WHERE call_id IN ('c19', 'c22', 'c30')"
    )
    months = build.query(
        "SELECT DISTINCT CAST(usage_month AS VARCHAR) FROM intermediate.int_tariff__monthly_costs "
        "WHERE usage_month >= DATE '2025-04-01'"
    )
    return {c for (c,) in calls}, {m for (m,) in months}


def rated_staff(build: DbtBuild) -> set[str]:
    """The staff members marts.staff_rating_replies holds ratings of."""
    return {s for (s,) in build.query("SELECT DISTINCT staff_id FROM marts.staff_rating_replies")}


def test_spark_incremental_builds_keep_duckdb_rows(
    spark_dbt: SparkDbt,
    duckdb_build_factory: Callable[[str], DbtBuild],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    duckdb_build = duckdb_build_factory("duckdb_incremental")
    raw = tmp_path_factory.mktemp("raw_incremental")
    spark_dbt.reset()

    def build_both(step: str, *args: str, as_of: str) -> None:
        duckdb_build.run("run", *SELECT, *args, as_of=as_of)
        spark_dbt.run(export(duckdb_build.database, raw), "run", *SELECT, *args, as_of=as_of)
        assert_same_tables(duckdb_build.database, spark_dbt, tmp_path_factory.mktemp(step))

    load_rows(duckdb_build.database, FIRST, datetime(2025, 3, 10, 12, 30), "first.csv")
    build_both("first", as_of=hotline.AS_OF)
    assert rated_staff(duckdb_build) == {"S1", "S2", "S3"}

    with duckdb.connect(str(duckdb_build.database)) as con:
        con.execute("DELETE FROM raw.sms_ratings WHERE invitation_id IN ('R01', 'R02')")
        con.execute("DELETE FROM raw.staff WHERE staff_id = 'S2'")
        for statement in billing.LATE_REPLACES:
            con.execute(statement)
    load_rows(duckdb_build.database, LATE, datetime(2025, 3, 11), "late.csv")
    # April: the April usage month and every call are in.
    build_both("later", as_of="2025-04-02 12:00:00")
    assert held(duckdb_build) == ({"c19", "c22", "c30"}, {"2025-04-01"})
    assert rated_staff(duckdb_build) == {"S1", "S3", "S4"}
    # Back: the calls not ended by then and the April month leave both tables.
    build_both("back", as_of=hotline.AS_OF)
    assert held(duckdb_build) == ({"c30"}, set())

    # Spark's incremental tables, built step by step, equal a full rebuild of the same rows.
    duckdb_build.run("run", *SELECT, "--full-refresh", as_of=hotline.AS_OF)
    assert_same_tables(duckdb_build.database, spark_dbt, tmp_path_factory.mktemp("full"))
