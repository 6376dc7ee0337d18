"""The evaluation time of time-limited KPIs: ``MANYI_AS_OF``, else the data watermark."""

from __future__ import annotations

from datetime import datetime

import duckdb

from pipelines import settings
from pipelines.contract import WATERMARK_COLUMNS


def watermark(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The latest loaded timestamp among the contract's watermark columns."""
    parts = " UNION ALL ".join(
        f"SELECT max({column}) AS t FROM raw.{table}" for table, column in WATERMARK_COLUMNS
    )
    return con.execute(f"SELECT max(t) FROM ({parts})").fetchone()[0]


def resolve(con: duckdb.DuckDBPyConnection) -> datetime | None:
    return settings.as_of_override() or watermark(con)


def as_dbt_var(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")
