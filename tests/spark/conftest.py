"""Fixtures of the Spark tests: one Spark session for the whole test session, and DuckDB
builds of the same hand-made rows (the harness and fixtures of tests/dbt)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
for path in (REPO_ROOT, REPO_ROOT / "tests" / "dbt"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from dbt_harness import DbtBuild, create_warehouse  # noqa: E402
from spark_harness import SparkDbt  # noqa: E402


@pytest.fixture(scope="session")
def spark_dbt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkDbt]:
    """dbt on Spark; the warehouse folder is fixed when the (only) Spark session starts."""
    if shutil.which("java") is None:
        pytest.fail("Spark needs Java 17: apt-get install openjdk-17-jre-headless")
    workdir = tmp_path_factory.mktemp("spark")
    warehouse = workdir / "warehouse"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MANYI_SPARK_WAREHOUSE_DIR", str(warehouse))
        spark = SparkDbt(warehouse, workdir)
        yield spark
        spark.stop()


@pytest.fixture(scope="session")
def duckdb_build_factory(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], DbtBuild]:
    """A DuckDB build in a fresh folder, with an empty warehouse."""

    def make(name: str) -> DbtBuild:
        build = DbtBuild(tmp_path_factory.mktemp(name))
        create_warehouse(build.database)
        return build

    return make
