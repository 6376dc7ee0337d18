"""dbt's folders of one command each under ``dbt_project/target``: the latest are kept.

dagster-dbt gives every dbt command a folder of its own (manifest, ``run_results.json``,
the compiled SQL, ``dbt.log``: about 8 MB for this project), and removes none. The daily
schedule and the sensor's runs would fill the disk over the months, so after each build
the folders beyond the latest ``KEEP_RUNS`` go. The latest stay, to read why a run failed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.transform.project import dbt_project

KEEP_RUNS = 10
# dagster-dbt's names: ``<op>-<run id[:7]>-<uuid[:7]>`` inside a Dagster run, the bare
# ``<uuid[:7]>`` outside one. Nothing else in target/ is touched (the prepared manifest,
# the compiled/ and run/ folders of a dbt command run by hand).
RUN_FOLDER = re.compile(r"(?:\w+-[0-9a-f]{7}-)?[0-9a-f]{7}")


def target_dir() -> Path:
    return DBT_PROJECT_DIR / dbt_project.target_path


def prune_run_folders(target: Path | None = None, keep: int = KEEP_RUNS) -> list[str]:
    """Remove all but the ``keep`` latest command folders (by modification time) under
    ``target``; returns the names removed."""
    root = target or target_dir()
    if not root.is_dir():
        return []
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and RUN_FOLDER.fullmatch(p.name)),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in folders[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return [p.name for p in folders[keep:]]
