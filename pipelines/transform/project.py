"""The dbt project, alone in its module: ``dagster-dbt project prepare-and-package --file``
imports this file and fails when it also defines ``@dbt_assets``."""

from __future__ import annotations

from dagster_dbt import DbtProject

from pipelines.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
