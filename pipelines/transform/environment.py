"""How the dbt CLI is run: its executable, target and environment (dagster-dbt passes
``os.environ`` on)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource

from pipelines import settings, spark_export
from pipelines.transform.project import dbt_project

# profiles.yml reads the warehouse path from here: an absolute path, as a relative one
# would resolve against the working directory.
WAREHOUSE_PATH_VAR = "MANYI_DBT_DUCKDB_PATH"


def dbt_env() -> dict[str, str]:
    """Every variable profiles.yml and the on-run-start macro read, for either target."""
    return {
        WAREHOUSE_PATH_VAR: str(settings.paths().warehouse),
        "MANYI_DUCKDB_MEMORY": settings.duckdb_memory_limit(),
        "MANYI_SPARK_RAW_DIR": str(spark_export.raw_dir()),
        "MANYI_SPARK_WAREHOUSE_DIR": str(spark_export.warehouse_dir()),
    }


def apply_dbt_env() -> None:
    """Point dbt at this data dir's warehouse (overriding any value set before)."""
    os.environ.update(dbt_env())


def dbt_executable() -> str:
    """dbt from the running interpreter's environment, which need not be on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def dbt_resource() -> DbtCliResource:
    """The ``dbt`` resource of the code location, on the target ``MANYI_DBT_TARGET`` names."""
    return DbtCliResource(
        project_dir=dbt_project, dbt_executable=dbt_executable(), target=settings.dbt_target()
    )
