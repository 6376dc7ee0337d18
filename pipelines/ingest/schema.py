"""DDL of the warehouse's `raw` and `audit` schemas, derived from the contract."""

from __future__ import annotations

from pipelines.contract import TABLES, Table

AUDIT_TABLES = {
    "load_log": (
        ("run_id", "VARCHAR"),
        ("table_name", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("file_size", "BIGINT"),
        ("file_mtime_ns", "BIGINT"),
        ("content_hash", "VARCHAR"),
        ("encoding", "VARCHAR"),
        ("file_format", "VARCHAR"),
        ("status", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("rows_read", "BIGINT"),
        ("rows_loaded", "BIGINT"),
        ("rows_quarantined", "BIGINT"),
        ("rows_replaced", "BIGINT"),
        ("extra_columns", "VARCHAR"),
        ("started_at", "TIMESTAMP"),
        ("finished_at", "TIMESTAMP"),
    ),
    "quarantine": (
        ("run_id", "VARCHAR"),
        ("table_name", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("line_number", "BIGINT"),
        ("column_name", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("detail", "VARCHAR"),
        ("raw_line", "VARCHAR"),
        ("quarantined_at", "TIMESTAMP"),
    ),
}


def _create(schema: str, name: str, columns: tuple[tuple[str, str], ...]) -> str:
    cols = ", ".join(f"{col} {typ}" for col, typ in columns)
    return f"CREATE TABLE IF NOT EXISTS {schema}.{name} ({cols})"


def raw_table_ddl(table: Table) -> str:
    return _create("raw", table.name, table.stored_columns)


def warehouse_ddl() -> list[str]:
    """Statements that create every schema and table ingestion writes (idempotent)."""
    statements = ["CREATE SCHEMA IF NOT EXISTS raw", "CREATE SCHEMA IF NOT EXISTS audit"]
    statements += [raw_table_ddl(t) for t in TABLES]
    statements += [_create("audit", name, cols) for name, cols in AUDIT_TABLES.items()]
    return statements
