"""The same dbt project on Spark gives the tables it gives on DuckDB, row for row.

Each data set holds hand-made fixtures of tests/dbt, whose known answers are checked there on
DuckDB: loaded into a DuckDB warehouse and built with dbt, its raw layer exported to
Parquet (pipelines/spark_export.py) and built with dbt on Spark. Every intermediate and
mart table must then match: same columns, same kinds of values, same rows (ratios to a
relative 1e-9).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dbt_core_fixture as core
import pytest
import test_billing_kpis as billing
import test_data_quality as data_quality
import test_hotline_intervals as intervals
import test_hotline_kpis as hotline
from dbt_harness import DbtBuild, load_rows, merged
from spark_harness import SparkDbt, assert_same_tables, export

# Models and seeds: a data test has nothing to compare, and the data tests run on Spark in
# test_spark_dagster_build, whose production build fails on any.
MODELS_ONLY = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
# The project's unit tests (fixed inputs, whatever the data set), which a production build
# leaves out: run once on Spark, with the data set that builds every model they test.
WITH_UNIT_TESTS = ("--exclude-resource-type", "test")


@dataclass(frozen=True)
class DataSet:
    rows: dict[str, list[dict[str, Any]]]
    loaded_at: datetime
    as_of: str
    select: tuple[str, ...] = ()
    unit_tests: bool = False


assert core.AS_OF == hotline.AS_OF
DATA_SETS = {
    # Complaints, SMS ratings, staff evaluation, the hotline's calls; every model. The two
    # fixtures share their as_of, and a Spark build costs about the same for both as for one.
    "core_and_hotline": DataSet(
        merged(core.ROWS, hotline.ROWS), core.LOADED_AT, core.AS_OF, unit_tests=True
    ),
    "billing": DataSet(billing.ROWS, billing.LOADED_AT, billing.AS_OF),
    # Erlang C against the kpis.md test vectors.
    "hotline_intervals": DataSet(
        intervals.ROWS, intervals.LOADED_AT, intervals.AS_OF, ("--select", "+hotline_intervals")
    ),
    "data_quality": DataSet(
        data_quality.ROWS,
        data_quality.LOADED_AT,
        data_quality.AS_OF,
        ("--select", "+marts.data_quality"),
    ),
}


@pytest.mark.parametrize("name", DATA_SETS)
def test_spark_builds_the_tables_duckdb_builds(
    name: str,
    spark_dbt: SparkDbt,
    duckdb_build_factory: Callable[[str], DbtBuild],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    data = DATA_SETS[name]
    duckdb = duckdb_build_factory(f"duckdb_{name}")
    load_rows(duckdb.database, data.rows, data.loaded_at, f"{name}.csv")
    # tests/dbt runs the project's tests on DuckDB.
    duckdb.run("build", *data.select, *MODELS_ONLY, as_of=data.as_of)

    raw = export(duckdb.database, tmp_path_factory.mktemp(f"raw_{name}"))
    spark_dbt.reset()
    tests = WITH_UNIT_TESTS if data.unit_tests else MODELS_ONLY
    spark_dbt.run(raw, "build", *data.select, *tests, as_of=data.as_of)
    assert_same_tables(duckdb.database, spark_dbt, tmp_path_factory.mktemp(f"spark_{name}"))
