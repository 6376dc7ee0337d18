"""Fixtures for the dashboard tests: the hand-made serving copy in the test's data dir.

``data_dir`` (tests/conftest.py) is an empty MANYI_DATA_DIR: no build published yet.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# `streamlit run` puts the app's folder on sys.path and the app imports `lib.*` from there;
# the tests import the same modules the same way (and `pipelines` from the repo root).
REPO_ROOT = Path(__file__).resolve().parents[2]
APP_DIR = REPO_ROOT / "dashboards"
for folder in (REPO_ROOT, APP_DIR):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from access_harness import downloads  # noqa: E402, F401 (a fixture for the access tests)
from kpi_fixture import build_kpi_serving_copy  # noqa: E402
from serving_fixture import build_serving_copy  # noqa: E402
from users_fixture import write_users_file  # noqa: E402

from pipelines import settings  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every dashboard test signs in: one user per role (users_fixture.py)."""
    path = write_users_file(tmp_path_factory.mktemp("users") / "users.toml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MANYI_USERS_FILE", str(path))
        yield path


@pytest.fixture(scope="session")
def built_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_serving_copy(tmp_path_factory.mktemp("built"))


@pytest.fixture
def serving_copy(data_dir: Path, built_copy: Path) -> Path:
    """The fixture serving copy, published in this test's data dir (built once per session)."""
    target = settings.Paths(data_dir).serving
    target.parent.mkdir(parents=True)
    shutil.copyfile(built_copy, target)
    return target


@pytest.fixture(scope="module")
def kpi_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The KPI fixture (kpi_fixture.py) published in a data dir shared by the module's tests,
    so that the pages' cached queries are run once per module, not once per test."""
    data_dir = tmp_path_factory.mktemp("kpis")
    path = build_kpi_serving_copy(data_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MANYI_DATA_DIR", str(data_dir))
        patch.delenv("MANYI_AS_OF", raising=False)
        yield path
