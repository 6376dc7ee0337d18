"""How the dbt CLI is run: its executable, target and environment (dagster-dbt passes
``os.environ`` on)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource

from pipelines import settings, spark_export
from pipelines.transform.project import dbt_project

# profiles.yml reads the warehouse path from here: an absolute path, as a relative one
# would resolve against the working directory.
WAREHOUSE_PATH_VAR = "MANYI_DBT_DUCKDB_PATH"
# dbt's command as Dagster runs it: dbt itself, save a fast answer to `--version` (the
# script says why). It runs dbt with the interpreter in DBT_PYTHON_VAR.
DBT_COMMAND = Path(__file__).with_name("dbt.sh")
DBT_PYTHON_VAR = "MANYI_DBT_PYTHON"


def dbt_env() -> dict[str, str]:
    """Every variable profiles.yml, the on-run-start macro and the dbt command read, for
    either target."""
    return {
        WAREHOUSE_PATH_VAR: str(settings.paths().warehouse),
        "MANYI_DUCKDB_MEMORY": settings.duckdb_memory_limit(),
        "MANYI_SPARK_RAW_DIR": str(spark_export.raw_dir()),
        "MANYI_SPARK_WAREHOUSE_DIR": str(spark_export.warehouse_dir()),
        # dbt from the running interpreter's environment, which need not be on PATH.
        DBT_PYTHON_VAR: sys.executable,
    }


def apply_dbt_env() -> None:
    """Point dbt at this data dir's warehouse (overriding any value set before)."""
    os.environ.update(dbt_env())


def dbt_resource() -> DbtCliResource:
    """The ``dbt`` resource of the code location, on the target ``MANYI_DBT_TARGET`` names."""
    return DbtCliResource(
        project_dir=dbt_project, dbt_executable=str(DBT_COMMAND), target=settings.dbt_target()
    )
