"""The policy defaults of kpis.md, read where they live: the vars of dbt_project.yml.

Code outside dbt (the dashboard, the e-mails) that needs one of them reads it here, so a
threshold changed in dbt_project.yml changes everywhere at once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from pipelines.settings import DBT_PROJECT_DIR


@cache
def _dbt_vars() -> dict[str, Any]:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]


def dbt_var(name: str) -> Any:
    return _dbt_vars()[name]
