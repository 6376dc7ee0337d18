"""Fixtures for the dbt tests: a real DuckDB warehouse built from hand-made raw rows."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from dbt_core_fixture import AS_OF, LOADED_AT, ROWS  # noqa: E402
from dbt_harness import DbtBuild, create_warehouse, load_rows  # noqa: E402


@pytest.fixture(scope="session")
def dbt_build_factory(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], DbtBuild]:
    """Makes a DbtBuild in a fresh folder: for tests that load and build their own data."""

    def make(name: str) -> DbtBuild:
        build = DbtBuild(tmp_path_factory.mktemp(name))
        create_warehouse(build.database)
        return build

    return make


@pytest.fixture(scope="session")
def core_build(dbt_build_factory: Callable[[str], DbtBuild]) -> DbtBuild:
    """The hand-made rows of dbt_core_fixture.py, built once with `dbt build` at AS_OF."""
    build = dbt_build_factory("core")
    load_rows(build.database, ROWS, LOADED_AT, "fixture.csv")
    build.run("build", as_of=AS_OF)
    return build
