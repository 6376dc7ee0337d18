"""Build the dbt project against a throwaway DuckDB warehouse and read it back.

Each build gets its own DuckDB file and dbt target/log folders, so builds (and the
hotline/billing tests) never share a lock. dbt runs in a subprocess: the in-process
runner keeps the DuckDB lock after the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.contract import TABLE_BY_NAME
from pipelines.ingest.schema import warehouse_ddl
from pipelines.publish import BUILD_STAMP
from pipelines.settings import DBT_PROJECT_DIR
from pipelines.transform.environment import WAREHOUSE_PATH_VAR

DBT = Path(sys.executable).with_name("dbt")
Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def built_rows(table: str) -> str:
    """A query of every row of ``table``, sorted, without the build stamp: when the run
    began, which differs between two builds of the same data."""
    return f"SELECT COLUMNS(lambda c: c <> '{BUILD_STAMP}') FROM {table} ORDER BY ALL"


def create_warehouse(path: Path) -> None:
    """An empty warehouse: the raw and audit schemas exactly as ingestion creates them."""
    with duckdb.connect(str(path)) as con:
        for statement in warehouse_ddl():
            con.execute(statement)


def load_rows(path: Path, rows: Rows, loaded_at: datetime, source_file: str) -> None:
    """Append rows to raw tables; unset columns are NULL, lineage columns are filled in."""
    with duckdb.connect(str(path)) as con:
        for table, table_rows in rows.items():
            columns = [name for name, _ in TABLE_BY_NAME[table].stored_columns]
            marks = ", ".join("?" for _ in columns)
            for line, row in enumerate(table_rows, start=2):
                unknown = set(row) - set(columns)
                assert not unknown, f"{table} has no column(s) {unknown}"
                lineage = {
                    "_source_file": source_file,
                    "_line_number": line,
                    "_loaded_at": loaded_at,
                }
                values = [row.get(c, lineage.get(c)) for c in columns]
                con.execute(f"INSERT INTO raw.{table} VALUES ({marks})", values)


class DbtBuild:
    """A dbt project run against one DuckDB file, with its own target and log folders."""

    def __init__(self, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.database = workdir / "manyi.duckdb"

    def run(self, *args: str, as_of: str | None) -> str:
        """Run a dbt command (e.g. "build"), returning its output (e.g. of `dbt show`);
        as_of None leaves the watermark in charge."""
        done = self.attempt(*args, as_of=as_of)
        if done.returncode != 0:
            pytest.fail(f"dbt {' '.join(args)} failed:\n{done.stdout[-6000:]}\n{done.stderr}")
        return done.stdout

    def attempt(self, *args: str, as_of: str | None) -> subprocess.CompletedProcess[str]:
        """Run a dbt command that may fail (a data test expected to find something)."""
        command = [
            str(DBT),
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(self.workdir / "target"),
            "--log-path",
            str(self.workdir / "logs"),
        ]
        if as_of is not None:
            command += ["--vars", json.dumps({"as_of": as_of})]
        env = {**os.environ, WAREHOUSE_PATH_VAR: str(self.database)}
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        """Every row of ``table``, sorted, without the build stamp."""
        return self.query(built_rows(table))

    def kpi(
        self,
        kpi_id: str,
        grain: str,
        period_start: str,
        segment_type: str = "all",
        segment_value: str = "all",
    ) -> tuple[float, float, float | None] | None:
        """(numerator, denominator, value) of one marts.kpi_values row, None if absent."""
        rows = self.query(
            "SELECT numerator, denominator, value FROM marts.kpi_values WHERE kpi_id = ? "
            "AND grain = ? AND period_start = CAST(? AS DATE) AND segment_type = ? "
            "AND segment_value = ?",
            (kpi_id, grain, period_start, segment_type, segment_value),
        )
        assert len(rows) <= 1
        return rows[0] if rows else None
