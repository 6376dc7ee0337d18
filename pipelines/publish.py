"""The serving copy: what readers (dashboard, reports) see, replaced atomically.

DuckDB allows one writer or many readers per file, never both. So readers never open the
warehouse: after a successful build the pipeline writes ``serving.duckdb.tmp`` and
``os.replace``s it onto ``serving.duckdb``. A reader holding the old file keeps reading
it; the next open sees the new build. No reader ever sees half a build.

Most of a day's build leaves most published rows as they were (the tariff guide holds
every customer-month and changes once a month), and copying a table anew costs far more
than reading it. So the serving copy records a fingerprint of every table it holds
(``audit.published_tables``); the next publication starts from a byte copy of the
previous file, keeps the tables whose fingerprint is unchanged and writes only the others.
"""

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import settings
from pipelines.ingest.load import connect_warehouse
from pipelines.resources import DUCKDB_POOL

log = logging.getLogger(__name__)

# Schemas readers may see. Raw rows stay in the warehouse: readers get audit and marts.
PUBLISHED_SCHEMAS = ("audit", "marts")
# Written by the publication itself, not copied from the warehouse.
BUILD_INFO = "audit.build_info"
FINGERPRINTS = "audit.published_tables"

# A table's fingerprint: its columns (names and types, in order), its row count and the sum
# of its rows' hashes, which is the same for the same rows in any order. The columns are
# part of it because a renamed column leaves every value, and so the hashes, as they were.
Fingerprint = tuple[str, int, int]


@dataclass(frozen=True)
class Publication:
    rows: dict[str, int]
    # Tables written anew; every other one was kept from the previous serving copy.
    copied: list[str]


def _as_of(con: duckdb.DuckDBPyConnection) -> object:
    """The as_of the models were built with (dbt's ``int_as_of``: MANYI_AS_OF or the data
    watermark), None before the first dbt build."""
    built = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'intermediate' "
        "AND table_name = 'int_as_of'"
    ).fetchone()[0]
    return (
        con.execute("SELECT max(as_of) FROM intermediate.int_as_of").fetchone()[0]
        if built
        else None
    )


def _published_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """``schema.name`` of every table and view of the published schemas in the warehouse."""
    rows = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name IN (SELECT unnest($1)) "
        "UNION ALL "
        "SELECT schema_name, view_name FROM duckdb_views() "
        "WHERE database_name = current_database() AND schema_name IN (SELECT unnest($1)) "
        "AND NOT internal ORDER BY ALL",
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    return [f"{schema}.{name}" for schema, name in rows]


def _fingerprint(con: duckdb.DuckDBPyConnection, relation: str) -> Fingerprint:
    schema, name = relation.split(".")
    columns = con.execute(
        "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) "
        "FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = ? AND table_name = ?",
        [schema, name],
    ).fetchone()[0]
    rows, content = con.execute(
        f"SELECT count(*), coalesce(sum(hash(*COLUMNS(*))::HUGEINT), 0) FROM {relation}"
    ).fetchone()
    return columns, rows, int(content)


def _previous_fingerprints(con: duckdb.DuckDBPyConnection, serving: Path) -> dict[str, Fingerprint]:
    """What the current serving copy holds; empty when there is none yet, or it was written
    before it recorded fingerprints."""
    if not serving.exists():
        return {}
    # Read-only, as every reader opens it: the dashboard may be reading it right now.
    con.execute(f"ATTACH '{serving}' AS served (READ_ONLY)")
    try:
        recorded = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'served' "
            "AND schema_name || '.' || table_name = ?",
            [FINGERPRINTS],
        ).fetchone()[0]
        if not recorded:
            return {}
        rows = con.execute(
            f"SELECT relation, columns, row_count, content_hash FROM served.{FINGERPRINTS}"
        ).fetchall()
    finally:
        con.execute("DETACH served")
    return {relation: (columns, n, int(content)) for relation, columns, n, content in rows}


def publish_snapshot(con: duckdb.DuckDBPyConnection, run_id: str) -> Publication:
    """Snapshot the published schemas of the open warehouse into the serving copy."""
    target = settings.paths().serving
    tmp = target.with_name(target.name + ".tmp")
    wal = tmp.with_name(tmp.name + ".wal")
    tmp.unlink(missing_ok=True)
    wal.unlink(missing_ok=True)
    as_of = _as_of(con)
    relations = _published_relations(con)
    current = {relation: _fingerprint(con, relation) for relation in relations}
    # Only the pipeline writes the serving copy, one publication at a time (the writer
    # pool), so the file copied here is the one whose fingerprints were just read.
    previous = _previous_fingerprints(con, target)
    kept = {r for r, fingerprint in current.items() if previous.get(r) == fingerprint}
    if kept:
        # Never a hard link: the copy is written to, and readers hold the original.
        shutil.copyfile(target, tmp)
    copied = [r for r in relations if r not in kept]
    con.execute(f"ATTACH '{tmp}' AS snap")
    try:
        held = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE database_name = 'snap'"
        ).fetchall()
        for (relation,) in held:
            if relation not in kept:
                con.execute(f"DROP TABLE snap.{relation}")
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS snap.{schema}")
        # Views are materialised: the serving copy must not depend on the warehouse.
        for relation in copied:
            con.execute(f"CREATE TABLE snap.{relation} AS SELECT * FROM {relation}")
        con.execute(
            # The engine the marts were built on, so a reader can tell a Spark build.
            f"CREATE TABLE snap.{BUILD_INFO} AS "
            "SELECT ?::VARCHAR AS run_id, ?::TIMESTAMP AS built_at, ?::TIMESTAMP AS as_of, "
            "?::VARCHAR AS engine",
            [run_id, settings.local_now(), as_of, settings.dbt_target()],
        )
        con.execute(
            f"CREATE TABLE snap.{FINGERPRINTS} (relation VARCHAR, columns VARCHAR, "
            "row_count BIGINT, content_hash HUGEINT)"
        )
        con.executemany(
            f"INSERT INTO snap.{FINGERPRINTS} VALUES (?, ?, ?, ?)",
            [[relation, *fingerprint] for relation, fingerprint in current.items()],
        )
        con.execute("CHECKPOINT snap")
    finally:
        con.execute("DETACH snap")
    # os.replace moves the database file alone: everything must be in it.
    if wal.exists():
        raise RuntimeError(f"{wal} left behind: the serving copy would miss what it holds")
    os.replace(tmp, target)
    log.info("serving copy: %d of %d tables written anew", len(copied), len(relations))
    return Publication(rows={r: current[r][1] for r in relations}, copied=copied)


def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Publish the serving copy; returns the row count per published table."""
    return publish_snapshot(con, run_id).rows


def serving_asset(deps: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The ``serving/snapshot`` asset, downstream of everything readers need."""

    @dg.asset(
        key=dg.AssetKey(["serving", "snapshot"]),
        deps=deps,
        group_name="serving",
        kinds={"duckdb"},
        pool=DUCKDB_POOL,
        description="serving.duckdb: audit and marts, swapped atomically for readers.",
    )
    def serving_snapshot(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        con = connect_warehouse()
        try:
            publication = publish_snapshot(con, context.run_id)
        finally:
            con.close()
        return dg.MaterializeResult(
            metadata={
                "tables": dg.MetadataValue.int(len(publication.rows)),
                "rows": dg.MetadataValue.json(publication.rows),
                "tables_copied": dg.MetadataValue.json(publication.copied),
                "path": dg.MetadataValue.path(str(settings.paths().serving)),
            }
        )

    return serving_snapshot
