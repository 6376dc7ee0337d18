#!/bin/sh
# dbt as the pipeline runs it (pipelines/transform/environment.py): dbt's own command,
# run by the Python interpreter in MANYI_DBT_PYTHON, except for one question.
#
# dagster-dbt asks `dbt --version` before every dbt command, only to read dbt-core's
# version number. dbt answers by importing all of itself and asking pypi.org for its
# latest release: 2-3 s of every daily build, and a request the warehouse host need not be
# allowed to make. The installed package's metadata holds the same number.
python="${MANYI_DBT_PYTHON:?MANYI_DBT_PYTHON is unset: run dbt through pipelines.transform.environment}"
if [ "$#" -eq 1 ] && [ "$1" = "--version" ]; then
    exec "$python" -c 'from importlib.metadata import version; print("Core:\n  - installed:", version("dbt-core"))'
fi
exec "$python" -c 'import sys; from dbt.cli.main import cli; sys.exit(cli())' "$@"
