"""dbt's command folders under dbt_project/target: the latest are kept, older ones go, and
nothing else in target/ is touched."""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.transform.artifacts import prune_run_folders


def _folder(root: Path, name: str, mtime: int) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "run_results.json").write_text("{}")
    os.utime(folder, (mtime, mtime))
    return folder


def test_keeps_the_latest_run_folders_and_nothing_else(tmp_path: Path) -> None:
    runs = [
        _folder(tmp_path, "manyi_dbt_assets-1a2b3c4-5d6e7f8", 1_000),
        _folder(tmp_path, "0a1b2c3", 3_000),  # a dbt command outside a Dagster run
        _folder(tmp_path, "manyi_dbt_assets-9a9a9a9-0b0b0b0", 2_000),
        _folder(tmp_path, "manyi_dbt_assets-7c7c7c7-1d1d1d1", 4_000),
    ]
    # Not dagster-dbt's: a hand-run dbt command's folders and the prepared manifest.
    kept = [_folder(tmp_path, "compiled", 10), _folder(tmp_path, "run", 10)]
    (tmp_path / "manifest.json").write_text("{}")

    removed = prune_run_folders(tmp_path, keep=2)

    assert removed == ["manyi_dbt_assets-9a9a9a9-0b0b0b0", "manyi_dbt_assets-1a2b3c4-5d6e7f8"]
    assert [p.exists() for p in runs] == [False, True, False, True]
    assert all(p.exists() for p in kept)
    assert (tmp_path / "manifest.json").exists()
    assert prune_run_folders(tmp_path, keep=2) == []


def test_a_missing_target_folder_is_nothing_to_prune(tmp_path: Path) -> None:
    assert prune_run_folders(tmp_path / "target") == []
