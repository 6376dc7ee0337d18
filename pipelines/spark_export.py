"""The exchange between the DuckDB warehouse and Spark (docs/spark.md).

Out: the validated raw layer as Parquet files, ``python -m pipelines.spark_export``. Spark
reads what ingestion accepted (after quarantine and pseudonymisation), never the landing
files: each ``raw.<table>`` is copied to ``<dir>/<table>/``, event tables partitioned by
the day of their event time (``event_day=YYYY-MM-DD/``), monthly tables by month
(``event_month=…``), reference snapshots whole. dbt's on-run-start macro
``spark_create_sources`` makes each folder a table ``raw.<table>``. A table is written to
a sibling folder first and then swapped in, so a reader sees the old or the new export of
a table, never half of one. Every export is complete: ingestion may replace or withdraw
rows of any day, and a full copy costs seconds at a city's volume.

Back: the tables Spark built (intermediate, marts) into the DuckDB warehouse, so the
serving copy, the dashboard and the reports work the same whichever engine built them.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from pathlib import Path

import duckdb

from pipelines import console, settings
from pipelines.contract import TABLES, Table

log = logging.getLogger("manyi.spark_export")

# The column that dates a row of each event table (as in data_quality_freshness).
DAY_COLUMNS = {
    "sms_ratings": "invited_at",
    "complaints": "received_at",
    "complaint_events": "event_at",
    "hotline_calls": "call_start_at",
    "agent_shifts": "shift_start_at",
    "payments": "paid_at",
    "vas_orders": "requested_at",
    "billing_disputes": "raised_at",
    "suspensions": "suspended_at",
    "data_usage_alerts": "crossed_at",
}
MONTH_COLUMNS = {"bill_items": "bill_month", "usage_monthly": "month"}


def raw_dir() -> Path:
    """Where the export goes (the ``raw.*`` tables of Spark read it)."""
    return settings.paths().data_dir / "spark" / "raw"


def warehouse_dir() -> Path:
    """Where Spark writes the tables dbt builds (``spark.sql.warehouse.dir``)."""
    return settings.paths().data_dir / "spark" / "warehouse"


def partitioning(table: Table) -> tuple[str, str] | None:
    """(partition column, SQL computing it) of an exported table, None when exported whole."""
    if table.name in DAY_COLUMNS:
        return "event_day", f"CAST({DAY_COLUMNS[table.name]} AS DATE)"
    if table.name in MONTH_COLUMNS:
        return "event_month", MONTH_COLUMNS[table.name]
    return None


def export_table(con: duckdb.DuckDBPyConnection, table: Table, out_dir: Path) -> int:
    """Copy ``raw.<table>`` to ``out_dir/<table>``, replacing the previous export; returns
    the row count."""
    target = out_dir / table.name
    staging = out_dir / f"{table.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    columns = ", ".join(f'"{name}"' for name, _ in table.stored_columns)
    rows = con.execute(f"SELECT count(*) FROM raw.{table.name}").fetchone()[0]
    split = partitioning(table)
    if split is None or rows == 0:
        # One file, also for an empty table: Spark infers a table's schema from its files.
        con.execute(
            f"COPY (SELECT {columns} FROM raw.{table.name}) "
            f"TO '{staging / 'data.parquet'}' (FORMAT parquet)"
        )
    else:
        name, expression = split
        con.execute(
            f"COPY (SELECT {columns}, {expression} AS {name} FROM raw.{table.name}) "
            f"TO '{staging}' (FORMAT parquet, PARTITION_BY ({name}), OVERWRITE_OR_IGNORE)"
        )
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return rows


def export_raw(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    """Export every contract table; returns the row count per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return {table.name: export_table(con, table, out_dir) for table in TABLES}


# What dbt builds as tables (staging models are views, which Spark keeps no files for).
BUILT_SCHEMAS = ("intermediate", "marts")


def load_built_tables(con: duckdb.DuckDBPyConnection, spark_warehouse: Path) -> dict[str, int]:
    """Replace the DuckDB warehouse's intermediate and mart tables with the ones Spark built
    under ``spark_warehouse`` (``<schema>.db/<table>/``, Spark's default layout), in one
    transaction; returns the row count per table. A table Spark wrote no file for (an
    empty partitioned table) is emptied."""
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for schema in BUILT_SCHEMAS:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            for folder in sorted((spark_warehouse / f"{schema}.db").glob("*/")):
                name = f"{schema}.{folder.name}"
                if any(folder.rglob("*.parquet")):
                    con.execute(
                        f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_parquet("
                        f"'{folder}/**/*.parquet', hive_partitioning = true)"
                    )
                elif con.execute(
                    "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                    [schema, folder.name],
                ).fetchone()[0]:
                    con.execute(f"DELETE FROM {name}")
                else:
                    continue
                counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts


def main() -> int:
    started = time.perf_counter()
    out_dir = raw_dir()
    with duckdb.connect(str(settings.paths().warehouse), read_only=True) as con:
        counts = export_raw(con, out_dir)
    log.info(
        "exported %d rows of %d tables to %s in %.1f s",
        sum(counts.values()),
        len(counts),
        out_dir,
        time.perf_counter() - started,
    )
    return 0


if __name__ == "__main__":
    console.configure()
    sys.exit(main())
