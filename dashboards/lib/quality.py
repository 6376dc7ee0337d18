"""Queries behind the data-quality page, over ``audit.*`` and two optional marts.

Each function returns a DataFrame with the column names of the SQL below; the page
translates the headers. ``marts.data_quality_freshness`` and ``marts.data_quality_orphans``
come from the dbt build and may be missing from a serving copy: they are checked for first.
Every query needs ``Capability.DATA_QUALITY`` (file names, rejected raw lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from lib import auth, serving
from pipelines.access.policy import Capability
from pipelines.contract import TABLES

# `audit.load_log.status` of a file refused whole (missing column, unreadable).
REJECTED = "rejected"

# Table names interpolated into SQL below are these constants, never user input.
FRESHNESS_MART = "data_quality_freshness"
ORPHANS_MART = "data_quality_orphans"


@dataclass(frozen=True)
class BuildInfo:
    built_at: datetime | None
    as_of: datetime | None
    recorded: bool  # False: no audit.build_info, built_at is the file time


def build_info() -> BuildInfo:
    auth.require(Capability.DATA_QUALITY)
    if serving.table_exists("audit", "build_info"):
        latest = serving.query(
            "SELECT built_at, as_of FROM audit.build_info ORDER BY built_at DESC LIMIT 1"
        )
        if not latest.empty:
            row = latest.iloc[0]
            return BuildInfo(_timestamp(row["built_at"]), _timestamp(row["as_of"]), True)
    return BuildInfo(serving.published_at(), None, False)


def _timestamp(value: object) -> datetime | None:
    return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def deliveries() -> pd.DataFrame:
    """One row per table that has a load-log entry: files, loads and row counts."""
    auth.require(Capability.DATA_QUALITY)
    return serving.query(
        """
        SELECT table_name,
               count(DISTINCT source_file)                    AS files,
               count(*)                                       AS loads,
               count(*) FILTER (WHERE status = $1)            AS rejected,
               coalesce(sum(rows_read), 0)::BIGINT            AS rows_read,
               coalesce(sum(rows_loaded), 0)::BIGINT          AS rows_loaded,
               coalesce(sum(rows_quarantined), 0)::BIGINT     AS rows_quarantined,
               coalesce(sum(rows_replaced), 0)::BIGINT        AS rows_replaced,
               coalesce(sum(rows_read - rows_loaded - rows_quarantined), 0)::BIGINT
                                                              AS rows_unaccounted
        FROM audit.load_log
        GROUP BY table_name
        ORDER BY table_name
        """,
        (REJECTED,),
    )


def freshness() -> pd.DataFrame:
    """Per contract table: the latest loaded file and, once dbt has built it, the latest event.

    Tables never delivered have empty cells. The event columns (rows, latest event, hours
    behind ``as_of``) are present only when ``marts.data_quality_freshness`` is published.
    """
    auth.require(Capability.DATA_QUALITY)
    latest = serving.query(
        """
        SELECT table_name,
               arg_max(source_file, finished_at) AS latest_file,
               max(finished_at)                  AS finished_at
        FROM audit.load_log
        WHERE status IS DISTINCT FROM $1
        GROUP BY table_name
        """,
        (REJECTED,),
    )
    out = pd.DataFrame({"table_name": [table.name for table in TABLES]})
    out = out.merge(latest, on="table_name", how="left")
    if serving.table_exists("marts", FRESHNESS_MART):
        events = serving.query(
            f"""
            SELECT source_table AS table_name, row_count, latest_event_at, hours_behind_as_of
            FROM marts.{FRESHNESS_MART}
            """
        )
        out = out.merge(events, on="table_name", how="left")
    return out


def rejected_files() -> pd.DataFrame:
    """Files whose latest load was a rejection: a corrected re-delivery takes a file off."""
    auth.require(Capability.DATA_QUALITY)
    return serving.query(
        """
        SELECT table_name, source_file, reason, finished_at
        FROM (
            SELECT *, row_number() OVER (
                PARTITION BY table_name, source_file ORDER BY finished_at DESC
            ) AS newest_first
            FROM audit.load_log
        )
        WHERE newest_first = 1 AND status = $1
        ORDER BY finished_at DESC, table_name, source_file
        """,
        (REJECTED,),
    )


def reason_counts() -> pd.DataFrame:
    auth.require(Capability.DATA_QUALITY)
    return serving.query(
        """
        SELECT table_name, reason, count(*) AS n_rows
        FROM audit.quarantine
        GROUP BY table_name, reason
        ORDER BY table_name, n_rows DESC, reason
        """
    )


def quarantine_sample(table: str | None, reason: str | None, limit: int) -> pd.DataFrame:
    """The newest quarantined rows matching the filters (None matches everything)."""
    auth.require(Capability.DATA_QUALITY)
    return serving.query(
        f"""
        SELECT table_name, source_file, line_number, column_name, reason, detail, raw_line,
               quarantined_at
        FROM audit.quarantine
        WHERE {_SAMPLE_FILTER}
        ORDER BY quarantined_at DESC, table_name, source_file, line_number
        LIMIT $3
        """,
        (table, reason, limit),
    )


def quarantine_count(table: str | None, reason: str | None) -> int:
    auth.require(Capability.DATA_QUALITY)
    found = serving.query(
        f"SELECT count(*) AS n FROM audit.quarantine WHERE {_SAMPLE_FILTER}", (table, reason)
    )
    return int(found["n"].iloc[0])


# A constant: the filter values are the parameters $1 and $2.
_SAMPLE_FILTER = "($1::VARCHAR IS NULL OR table_name = $1) AND ($2::VARCHAR IS NULL OR reason = $2)"


def orphan_counts() -> pd.DataFrame | None:
    """Orphan records per reference, or None while the build publishes no orphan mart."""
    auth.require(Capability.DATA_QUALITY)
    if not serving.table_exists("marts", ORPHANS_MART):
        return None
    return serving.query(
        f"""
        SELECT source_table AS table_name, reference_column, referenced_table,
               count(*) AS n_rows
        FROM marts.{ORPHANS_MART}
        GROUP BY ALL
        ORDER BY n_rows DESC, table_name, reference_column
        """
    )


def orphan_sample(limit: int) -> pd.DataFrame:
    auth.require(Capability.DATA_QUALITY)
    return serving.query(
        f"""
        SELECT source_table AS table_name, record_key, reference_column, referenced_table,
               missing_reference
        FROM marts.{ORPHANS_MART}
        ORDER BY table_name, reference_column, record_key
        LIMIT $1
        """,
        (limit,),
    )
