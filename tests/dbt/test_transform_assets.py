"""The dbt wiring of pipelines/transform: asset keys, groups, checks, arguments, and a
real materialisation of every dbt asset into a temporary warehouse."""

from __future__ import annotations

import importlib
import os
import shutil
from datetime import datetime
from pathlib import Path
from types import ModuleType

import dagster as dg
import duckdb
import pytest
from dbt_core_fixture import AS_OF, LOADED_AT, ROWS
from dbt_harness import create_warehouse, load_rows

from pipelines import settings
from pipelines.contract import TABLES
from pipelines.transform.artifacts import KEEP_RUNS, target_dir
from pipelines.transform.environment import dbt_resource
from pipelines.transform.prepare import prepare


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("transform_data")


@pytest.fixture(scope="module")
def assets(data_dir: Path) -> ModuleType:
    """The assets module, importable once the manifest has been prepared."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MANYI_DATA_DIR", str(data_dir))
        assert prepare().exists()
    return importlib.import_module("pipelines.transform.assets")


def test_sources_are_the_raw_ingestion_assets(assets: ModuleType) -> None:
    specs = list(assets.manyi_dbt_assets.specs)
    upstream = {d.asset_key for s in specs for d in s.deps if d.asset_key.path[0] == "raw"}
    assert upstream == {dg.AssetKey(["raw", t.name]) for t in TABLES}


def test_keys_groups_and_checks(assets: ModuleType) -> None:
    specs = {s.key: s for s in assets.manyi_dbt_assets.specs}
    kpi_values = specs[dg.AssetKey(["marts", "kpi_values"])]
    assert kpi_values.group_name == "marts_kpi"
    assert specs[dg.AssetKey(["intermediate", "int_as_of"])].group_name == "intermediate"
    assert specs[dg.AssetKey(["marts", "kpi_catalog"])].group_name == "seeds"
    assert (
        specs[dg.AssetKey(["staging", "stg_reference__subscribers"])].group_name
        == "staging_reference"
    )
    checked = {c.asset_key for c in assets.manyi_dbt_assets.check_specs}
    assert dg.AssetKey(["marts", "kpi_values"]) in checked


def test_build_args(assets: ModuleType) -> None:
    assert assets.build_args(None) == ["build", "--exclude-resource-type", "unit_test"]
    assert assets.build_args(datetime(2025, 3, 10, 12, 0)) == [
        "build",
        "--exclude-resource-type",
        "unit_test",
        "--vars",
        '{"as_of": "2025-03-10 12:00:00"}',
    ]


def test_materialize_every_dbt_asset(assets: ModuleType, data_dir: Path) -> None:
    # Folders of older dbt commands, as dagster-dbt leaves them, dated a year back: with
    # this run's own folder, more than the build keeps, so the oldest of them must go.
    stale = [target_dir() / f"manyi_dbt_assets-0000000-{i:07x}" for i in range(KEEP_RUNS + 2)]
    for age, folder in enumerate(stale):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "dbt.log").write_text("an old run\n")
        os.utime(folder, (1_700_000_000 - age, 1_700_000_000 - age))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MANYI_DATA_DIR", str(data_dir))
        patch.setenv("MANYI_AS_OF", AS_OF)
        warehouse = settings.paths().warehouse
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        create_warehouse(warehouse)
        load_rows(warehouse, ROWS, LOADED_AT, "fixture.csv")
        result = dg.materialize(
            [assets.manyi_dbt_assets], resources={"dbt": dbt_resource()}, raise_on_error=False
        )
    assert result.success
    left = [folder for folder in stale if folder.exists()]
    for folder in left:
        shutil.rmtree(folder)
    # Ten folders at most stay, and this run's is newer than every old one.
    assert len(left) <= KEEP_RUNS - 1
    assert left == stale[: len(left)]
    evaluations = result.get_asset_check_evaluations()
    assert evaluations
    blocking = [
        e.check_name
        for e in evaluations
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ]
    assert blocking == []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [(as_of,)] = con.execute("SELECT as_of FROM intermediate.int_as_of").fetchall()
    assert as_of == datetime(2025, 3, 10, 12, 0)
