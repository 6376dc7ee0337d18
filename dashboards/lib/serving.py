"""Read-only access to the serving copy, the dashboard's only data source.

The pipeline publishes ``serving.duckdb`` by building a new file and ``os.replace``-ing it
over the old one. DuckDB allows one writer or many readers per file, so the dashboard never
holds a connection: each query opens the file read-only, runs and closes it. Results are
cached under the file's identity (mtime, inode, size), so a new build is picked up at the
next rerun while an unchanged file is read once per TTL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import streamlit as st

from pipelines import settings

CACHE_TTL_SECONDS = 600

# The dashboard reads files only through the serving copy; DuckDB's file functions
# (read_csv, ATTACH, …) stay off so that no query can reach anything else on the disk.
_CONNECT_CONFIG = {"enable_external_access": False}


class ServingUnavailable(RuntimeError):
    """No serving copy has been published yet (or it vanished between two calls)."""


def serving_path() -> Path:
    return settings.paths().serving


def _file_version(path: Path) -> tuple[int, int, int]:
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise ServingUnavailable(str(path)) from exc
    return info.st_mtime_ns, info.st_ino, info.st_size


def query(sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
    """Run parameterised ``sql`` against the serving copy; cached until the file changes."""
    path = serving_path()
    version = _file_version(path)
    try:
        return _cached_query(str(path), version, sql, tuple(params))
    except duckdb.Error:
        # A query whose open races the pipeline's swap can fail inside DuckDB (seen under
        # load as "Serialization Error: Failed to deserialize"). The file it finds after
        # the swap is a complete build: one more try reads that one.
        if _file_version(path) == version:
            raise
        return _cached_query(str(path), _file_version(path), sql, tuple(params))


# `version` is not used in the body: it is part of the cache key, so a swapped file misses.
@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=512, show_spinner=False)
def _cached_query(
    path: str, version: tuple[int, int, int], sql: str, params: tuple[object, ...]
) -> pd.DataFrame:
    try:
        con = duckdb.connect(path, read_only=True, config=_CONNECT_CONFIG)
    except duckdb.IOException as exc:
        if not Path(path).exists():
            raise ServingUnavailable(path) from exc
        raise
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def table_exists(schema: str, table: str) -> bool:
    """Whether ``schema.table`` is in the serving copy (other builds add tables over time)."""
    found = query(
        "SELECT count(*) AS n FROM information_schema.tables "
        "WHERE table_schema = $1 AND table_name = $2",
        (schema, table),
    )
    return bool(found["n"].iloc[0])


def published_at() -> datetime:
    """When the current serving copy was put in place (its mtime), in Asia/Shanghai time."""
    mtime_ns = _file_version(serving_path())[0]
    local = datetime.fromtimestamp(mtime_ns / 1e9, ZoneInfo(settings.TIMEZONE))
    return local.replace(tzinfo=None)
