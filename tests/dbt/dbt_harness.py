"""Build the dbt project against a throwaway DuckDB warehouse and read it back.

Each build gets its own DuckDB file and dbt target/log folders, so builds (and the
hotline/billing tests) never share a lock. dbt runs in a subprocess: the in-process
runner keeps the DuckDB lock after the run.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.contract import TABLE_BY_NAME
from pipelines.ingest.schema import warehouse_ddl
from pipelines.publish import BUILD_STAMP
from pipelines.settings import DBT_PROJECT_DIR
from pipelines.transform.environment import WAREHOUSE_PATH_VAR, dbt_executable

Rows = Mapping[str, Sequence[Mapping[str, Any]]]
PARSE_STATE = "partial_parse.msgpack"
# dbt parses the whole project again (about 2.5 s) on a target folder's first run and
# whenever --vars differ from its last run there. The project's files do not change during
# a test session, so the state of the first parse with the same arguments serves every later
# run, as dagster-dbt seeds each of its runs with the project's state. Per process: one per
# xdist worker.
_PARSE_STATES: dict[tuple[str, ...], bytes] = {}


@contextmanager
def shared_parse(target_path: Path, *key: str) -> Iterator[None]:
    """Starts a dbt run in ``target_path`` from the parse state of an earlier run with the
    same ``key`` (the arguments that change what dbt parses), and keeps this run's state
    for the next one."""
    state = target_path / PARSE_STATE
    if key in _PARSE_STATES:
        target_path.mkdir(parents=True, exist_ok=True)
        state.write_bytes(_PARSE_STATES[key])
    yield
    if key not in _PARSE_STATES and state.exists():
        _PARSE_STATES[key] = state.read_bytes()


def vars_arguments(as_of: str | None) -> list[str]:
    """The --vars of a run at ``as_of``; None leaves the watermark in charge."""
    return [] if as_of is None else ["--vars", json.dumps({"as_of": as_of})]


def project_arguments(target_path: Path, log_path: Path) -> list[str]:
    """The arguments every test's dbt command takes: the project, and the build's own
    target and log folders (builds never share them)."""
    return [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
    ]


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


def merged(*data_sets: Rows) -> dict[str, list[Mapping[str, Any]]]:
    """The rows of several fixtures in one warehouse; their keys must not overlap, or one
    fixture's row would stand in for another's."""
    rows: dict[str, list[Mapping[str, Any]]] = {}
    for data_set in data_sets:
        for table, table_rows in data_set.items():
            rows.setdefault(table, []).extend(table_rows)
    for table, table_rows in rows.items():
        key = TABLE_BY_NAME[table].stored_key
        keys = [tuple(row.get(column) for column in key) for row in table_rows]
        assert len(set(keys)) == len(keys), f"the fixtures share keys of {table}"
    return rows


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
        target_path = self.workdir / "target"
        variables = vars_arguments(as_of)
        command = [
            dbt_executable(),
            *args,
            *project_arguments(target_path, self.workdir / "logs"),
            *variables,
        ]
        # The warehouse's path is part of the profile, which must not change for a parse
        # state to serve another build: the same relative path, from the build's folder.
        env = {**os.environ, WAREHOUSE_PATH_VAR: self.database.name}
        with shared_parse(target_path, "duckdb", *variables):
            return subprocess.run(
                command, cwd=self.workdir, env=env, capture_output=True, text=True, check=False
            )

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
