"""What Dagster steps share: the DuckDB writer pool and the resources of the code location."""

from __future__ import annotations

# DuckDB allows one writing process per file, and dbt-duckdb does not retry a locked
# file: every asset that writes the warehouse runs in this pool (limit 1, dagster.yaml).
DUCKDB_POOL = "duckdb_writer"


def resources() -> dict[str, object]:
    from pipelines.transform.environment import dbt_resource

    return {"dbt": dbt_resource()}
