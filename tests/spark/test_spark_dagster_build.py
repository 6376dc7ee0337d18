"""Dagster runs the whole build on Spark when the resource setting says so.

A small generated data set is built through ``python -m pipelines.build`` (the job
``make build`` runs) on DuckDB; a copy of that data dir is then built again on Spark
(``MANYI_DBT_TARGET=spark``: ingestion finds nothing new, the raw layer is exported to
Parquet, dbt builds on Spark, its tables are brought back, the serving copy published).
Both serving copies must hold the same marts; the second says it was built on Spark.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from spark_harness import differences, duckdb_tables

from pipelines.settings import REPO_ROOT
from tests.conftest import PII_KEY


def build(data_dir: Path, target: str) -> Path:
    env = {
        **os.environ,
        "MANYI_DATA_DIR": str(data_dir),
        "MANYI_PII_KEY": PII_KEY,
        "MANYI_DBT_TARGET": target,
    }
    env.pop("MANYI_AS_OF", None)
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.build"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return data_dir / "warehouse" / "serving.duckdb"


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten days of 2 000 subscribers, across a month end (so one month of bills)."""
    out = tmp_path_factory.mktemp("landing") / "landing"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines.synthetic",
            "--subscribers",
            "2000",
            "--days",
            "10",
            "--out",
            str(out),
        ],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    return out


def test_dagster_build_on_spark_publishes_the_duckdb_marts(
    landing: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    on_duckdb = tmp_path_factory.mktemp("duckdb")
    shutil.copytree(landing, on_duckdb / "landing")
    served = {"duckdb": build(on_duckdb, "duckdb")}
    # The same warehouse and load log: ingestion finds nothing new, so both engines build
    # from the very same raw rows (the load times in the freshness mart included).
    on_spark = tmp_path_factory.mktemp("spark")
    shutil.copytree(on_duckdb, on_spark, dirs_exist_ok=True)
    served["spark"] = build(on_spark, "spark")

    expected = duckdb_tables(served["duckdb"], "marts")
    actual = duckdb_tables(served["spark"], "marts")
    assert expected["kpi_values"].rows, "the DuckDB build computed no KPI at all"
    assert sorted(actual) == sorted(expected)
    found = [
        line
        for name, table in expected.items()
        for line in differences(f"marts.{name}", table, actual[name])
    ]
    assert not found, "\n".join(found)
    for target, path in served.items():
        with duckdb.connect(str(path), read_only=True) as con:
            assert con.execute("SELECT engine FROM audit.build_info").fetchone() == (target,)
