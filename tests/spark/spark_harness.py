"""The dbt project on Spark, next to the same build on DuckDB, and a row-for-row comparison.

dbt runs on Spark in this process (dbt-spark's `session` method), so every build of a test
session shares one Spark session: the JVM starts once. The catalogue is in memory, so a
new data set starts by dropping the schemas the last one built. Spark's tables are read
back into DuckDB from their Parquet files as the pipeline reads them (spark_export), which
keeps both sides in one type system (a timestamp is the same wall-clock value, whatever
the machine's zone).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import duckdb
import pytest
from dbt.cli.main import dbtRunner
from dbt_harness import project_arguments, shared_parse, vars_arguments
from pyspark.sql import SparkSession

from pipelines.publish import BUILD_STAMP
from pipelines.spark_export import BUILT_SCHEMAS, export_raw, load_built_tables

# Everything a build makes on Spark, dropped before the next data set.
SPARK_SCHEMAS = ("staging", "intermediate", "marts")
RAW_DIR_VAR = "MANYI_SPARK_RAW_DIR"
# Ratios and averages: floating-point sums in a different order differ in the last bits.
RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-12


class SparkDbt:
    """dbt with ``--target spark`` in this process, tables under ``warehouse``."""

    def __init__(self, warehouse: Path, workdir: Path) -> None:
        self.warehouse = warehouse
        self.workdir = workdir
        self._session_started = False

    def _session(self) -> SparkSession | None:
        """The Spark session dbt started; None before the first build (getOrCreate would
        then start one without the profile's settings)."""
        return SparkSession.builder.getOrCreate() if self._session_started else None

    def reset(self) -> None:
        """Drop what earlier builds made."""
        if spark := self._session():
            for schema in SPARK_SCHEMAS:
                spark.sql(f"drop schema if exists {schema} cascade")

    def stop(self) -> None:
        """Stop Spark once the Spark tests are done, not when pytest exits."""
        if spark := self._session():
            spark.stop()

    def run(self, raw_dir: Path, *args: str, as_of: str | None) -> None:
        """A dbt command (e.g. "build") over the Parquet export in ``raw_dir``."""
        target_path = self.workdir / "target"
        variables = vars_arguments(as_of)
        command = [
            *args,
            "--target",
            "spark",
            *project_arguments(target_path, self.workdir / "logs"),
            *variables,
        ]
        with (
            mock.patch.dict(os.environ, {RAW_DIR_VAR: str(raw_dir)}),
            shared_parse(target_path, "spark", *variables),
        ):
            done = dbtRunner().invoke(command)
        self._session_started = True
        if not done.success:
            failures = [
                f"{r.node.unique_id}: {r.message}"
                for r in getattr(done.result, "results", [])
                if r.status in ("error", "fail")
            ]
            pytest.fail(f"dbt {' '.join(args)} on Spark failed: {done.exception or failures}")


def export(database: Path, out_dir: Path) -> Path:
    """The raw layer of a DuckDB warehouse as Spark's Parquet sources."""
    with duckdb.connect(str(database), read_only=True) as con:
        export_raw(con, out_dir)
    return out_dir


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _kind(duckdb_type: str) -> str:
    """The comparable kind of a DuckDB column type: both engines must agree on it."""
    name = duckdb_type.upper()
    if name.startswith("DECIMAL"):
        return "decimal"
    if name.startswith("TIMESTAMP"):
        return "timestamp"
    if name in ("DOUBLE", "FLOAT"):
        return "float"
    if name.endswith("INT") or name in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT"):
        return "integer"
    return {"VARCHAR": "string", "BOOLEAN": "boolean", "DATE": "date"}.get(name, name)


# An append-only memo holds every key it has met, so which keys it holds depends on the
# builds before (a full refresh forgets the unused ones): compared on the keys in use.
IN_USE = {
    "intermediate.int_hotline_erlang__outcomes": (
        " AS memo WHERE EXISTS (SELECT 1 FROM intermediate.int_hotline_intervals__loads AS l "
        "WHERE l.offered_erlangs = memo.traffic "
        "AND l.planning_aht_seconds = memo.planning_aht_seconds "
        "AND l.staffed_agents = memo.staffed_agents)"
    ),
}


def _read(con: duckdb.DuckDBPyConnection, relation: str) -> Table:
    """Every column but the build stamp, which says when each engine's run began; of a memo
    (IN_USE), the rows in use."""
    described = [
        row
        for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
        if row[0] != BUILD_STAMP
    ]
    columns = tuple(row[0] for row in described)
    return Table(
        columns=columns,
        kinds=tuple(_kind(row[1]) for row in described),
        rows=con.execute(
            "SELECT "
            + ", ".join(f'"{c}"' for c in columns)
            + f" FROM {relation}"
            + IN_USE.get(relation, "")
        ).fetchall(),
    )


def duckdb_tables(database: Path, schema: str) -> dict[str, Table]:
    with duckdb.connect(str(database), read_only=True) as con:
        names = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = ? ORDER BY 1", [schema]
        ).fetchall()
        return {name: _read(con, f"{schema}.{name}") for (name,) in names}


def spark_copy(spark: SparkDbt, database: Path) -> Path:
    """The tables Spark built, copied into a DuckDB file as the pipeline copies them."""
    with duckdb.connect(str(database)) as con:
        load_built_tables(con, spark.warehouse)
    return database


def assert_same_tables(duckdb_database: Path, spark: SparkDbt, scratch: Path) -> None:
    """Every intermediate and mart table of the DuckDB build equals Spark's."""
    copy = spark_copy(spark, scratch / "spark.duckdb")
    found: list[str] = []
    for schema in BUILT_SCHEMAS:
        built = duckdb_tables(copy, schema)
        for name, expected in duckdb_tables(duckdb_database, schema).items():
            found += differences(f"{schema}.{name}", expected, built.get(name))
    assert not found, "\n".join(found)


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(
            left, right, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE
        ) or (math.isnan(left) and math.isnan(right))
    return left == right


def _sort_key(row: Sequence[Any]) -> tuple:
    """Orders rows by every value; floats rounded, so last-bit differences sort alike."""
    key: list[tuple[int, Any]] = []
    for value in row:
        if value is None:
            key.append((0, ""))
        elif isinstance(value, float):
            key.append((1, round(value, 6)))
        elif isinstance(value, (Decimal, int, bool)):
            key.append((1, float(value)))
        elif isinstance(value, (date, datetime)):
            key.append((2, value.isoformat()))
        else:
            key.append((3, str(value)))
    return tuple(key)


def differences(name: str, expected: Table, actual: Table | None, limit: int = 5) -> list[str]:
    """How ``actual`` (Spark) differs from ``expected`` (DuckDB); empty when they agree."""
    if actual is None:
        return [f"{name}: {len(expected.rows)} rows on DuckDB, none on Spark"] * bool(expected.rows)
    if expected.columns != actual.columns:
        return [f"{name}: columns {expected.columns} on DuckDB, {actual.columns} on Spark"]
    found = [
        f"{name}.{column}: {left} on DuckDB, {right} on Spark"
        for column, left, right in zip(expected.columns, expected.kinds, actual.kinds, strict=True)
        if left != right
    ]
    if len(expected.rows) != len(actual.rows):
        found.append(f"{name}: {len(expected.rows)} rows on DuckDB, {len(actual.rows)} on Spark")
    for left, right in zip(
        sorted(expected.rows, key=_sort_key), sorted(actual.rows, key=_sort_key), strict=False
    ):
        if not all(_same(a, b) for a, b in zip(left, right, strict=True)):
            found.append(f"{name}: {left} on DuckDB, {right} on Spark")
            if len(found) >= limit:
                break
    return found
