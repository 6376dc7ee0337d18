"""Write the dbt manifest that ``@dbt_assets`` loads: ``python -m pipelines.transform.prepare``.

Uses ``dbt parse``, which opens no database (``dbt compile`` would lock DuckDB), so it is safe
while the pipeline or a reader holds the warehouse.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pipelines import console
from pipelines.transform.environment import apply_dbt_env, dbt_resource
from pipelines.transform.project import dbt_project

log = logging.getLogger("manyi.transform.prepare")


def prepare() -> Path:
    """Parse the dbt project; returns the manifest's path."""
    apply_dbt_env()
    dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    return dbt_project.manifest_path


def main() -> int:
    manifest = prepare()
    log.info("dbt manifest written: %s", manifest)
    return 0


if __name__ == "__main__":
    console.configure()
    sys.exit(main())
