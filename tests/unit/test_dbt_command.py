"""The dbt command Dagster runs (pipelines/transform/dbt.sh): dbt itself, except that
``--version`` is answered from the installed package, the way dagster-dbt reads it."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version

import pytest
from packaging.version import Version

from pipelines.transform import environment


def _run(*args: str, python: str | None = sys.executable) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != environment.DBT_PYTHON_VAR}
    if python is not None:
        env[environment.DBT_PYTHON_VAR] = python
    return subprocess.run(
        [str(environment.DBT_COMMAND), *args], env=env, capture_output=True, text=True
    )


def test_version_is_the_installed_dbt_core() -> None:
    answer = _run("--version")
    assert answer.returncode == 0
    assert answer.stdout == f"Core:\n  - installed: {version('dbt-core')}\n"


def test_dagster_dbt_reads_that_version(monkeypatch: pytest.MonkeyPatch) -> None:
    # dagster-dbt asks the command before every dbt run, and would take a dbt of major
    # version 2 for the Fusion engine: the answer must parse as dbt-core's own.
    monkeypatch.setenv(environment.DBT_PYTHON_VAR, sys.executable)
    assert environment.dbt_resource()._cli_version == Version(version("dbt-core"))


def test_every_other_command_is_dbt_with_its_exit_code() -> None:
    helped = _run("--help")
    assert helped.returncode == 0
    assert "Usage: " in helped.stdout and "build" in helped.stdout
    unknown = _run("no-such-command")
    assert unknown.returncode == 2
    assert "No such command 'no-such-command'" in unknown.stderr


def test_without_the_interpreter_it_says_which_variable_is_missing() -> None:
    answer = _run("--version", python=None)
    assert answer.returncode != 0
    assert environment.DBT_PYTHON_VAR in answer.stderr


def test_the_environment_names_the_running_interpreter() -> None:
    assert environment.dbt_env()[environment.DBT_PYTHON_VAR] == sys.executable
