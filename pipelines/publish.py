"""The serving copy: what readers (dashboard, reports) see, replaced atomically.

DuckDB allows one writer or many readers per file, never both. So readers never open the
warehouse: after a successful build the pipeline writes ``serving.duckdb.tmp`` and
``os.replace``s it onto ``serving.duckdb``. A reader holding the old file keeps reading
it; the next open sees the new build. No reader ever sees half a build.
"""

import os

import duckdb

from pipelines import settings
from pipelines.contract import PSEUDONYM

# Schemas readers may see. Raw rows stay in the warehouse: readers get audit and marts.
PUBLISHED_SCHEMAS = ("audit", "marts")
# When a dbt run wrote a row of an incremental model (build_stamp() in
# dbt_project/macros/incremental_config.sql): bookkeeping for the models downstream.
BUILD_STAMP = "_built_at"
# Columns readers never get. The pseudonym links one person's rows across tables, which no
# reader needs (pages and e-mails show the masked number); left out, it also no longer
# makes up half of what a build copies (an 11 M-row tariff guide at city scale).
WITHHELD_COLUMNS = (PSEUDONYM, BUILD_STAMP)
# The rows readers get of a table, where not all (a condition on its columns). The tariff
# guide serves its recommendations, the subscriber-months a cheaper plan would have saved
# money: the share of all subscribers is the KPI tariff_overpay_rate in kpi_values, and the
# rest of the guide (four in five of 11 M rows at city scale) is nothing a reader opens.
PUBLISHED_ROWS = {"marts.tariff_recommendations": "is_overpaying"}


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


def _published_columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[str]:
    """The columns of a table or view that readers get, in their order."""
    return [
        row[0]
        for row in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = ? AND table_name = ? AND column_name NOT IN (SELECT unnest(?)) "
            "ORDER BY column_index",
            [schema, name, list(WITHHELD_COLUMNS)],
        ).fetchall()
    ]


def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Snapshot the published schemas of the open warehouse, without the withheld columns
    and with the published rows, into the serving copy.

    Returns the row count per published table.
    """
    target = settings.paths().serving
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    as_of = _as_of(con)
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name IN (SELECT unnest(?)) "
        "ORDER BY ALL",
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    views = con.execute(
        "SELECT schema_name, view_name FROM duckdb_views() "
        "WHERE database_name = current_database() AND schema_name IN (SELECT unnest(?)) "
        "AND NOT internal ORDER BY ALL",
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    counts: dict[str, int] = {}
    con.execute(f"ATTACH '{tmp}' AS snap")
    try:
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"CREATE SCHEMA snap.{schema}")
        # Views are materialised: the serving copy must not depend on the warehouse.
        for schema, name in [*tables, *views]:
            columns = ", ".join(f'"{c}"' for c in _published_columns(con, schema, name))
            rows = PUBLISHED_ROWS.get(f"{schema}.{name}", "true")
            con.execute(
                f"CREATE TABLE snap.{schema}.{name} AS "
                f"SELECT {columns} FROM {schema}.{name} WHERE {rows}"
            )
            counts[f"{schema}.{name}"] = con.execute(
                f"SELECT count(*) FROM snap.{schema}.{name}"
            ).fetchone()[0]
        con.execute(
            # The engine the marts were built on, so a reader can tell a Spark build.
            "CREATE TABLE snap.audit.build_info AS "
            "SELECT ?::VARCHAR AS run_id, ?::TIMESTAMP AS built_at, ?::TIMESTAMP AS as_of, "
            "?::VARCHAR AS engine",
            [run_id, settings.local_now(), as_of, settings.dbt_target()],
        )
    finally:
        con.execute("DETACH snap")
    os.replace(tmp, target)
    return counts
