"""The dbt sources and staging models follow the data contract (pipelines/contract.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.contract import TABLES
from pipelines.settings import DBT_PROJECT_DIR

STAGING = DBT_PROJECT_DIR / "models" / "staging"
SOURCES = {t.source for t in TABLES}


def _source(folder: str) -> dict:
    path = STAGING / folder / f"_{folder}__sources.yml"
    [source] = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    return source


@pytest.mark.parametrize("folder", sorted(SOURCES))
def test_source_matches_contract(folder: str) -> None:
    source = _source(folder)
    assert source["name"] == folder
    assert source["schema"] == "raw"
    declared = {t["name"] for t in source["tables"]}
    assert declared == {t.name for t in TABLES if t.source == folder}


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_one_staging_model_per_table(table) -> None:
    model: Path = STAGING / table.source / f"stg_{table.source}__{table.name}.sql"
    assert model.exists(), model
    assert f"source('{table.source}', '{table.name}')" in model.read_text(encoding="utf-8")


def test_only_staging_calls_source() -> None:
    outside = [
        p
        for p in (DBT_PROJECT_DIR / "models").rglob("*.sql")
        if STAGING not in p.parents and "source(" in p.read_text(encoding="utf-8")
    ]
    assert outside == []
