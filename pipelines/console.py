"""What the command-line entry points print: one set-up for every ``python -m pipelines.…``."""

from __future__ import annotations

import logging

# Loggers whose INFO lines are the progress an operator reads. Other libraries' INFO lines
# are noise here: alembic's migrations of the Dagster instance database on every start, and
# dagster-dbt's `dagster.builtin` lines, which Dagster's console logger prints already
# (as it prints every event of a run), so each would appear twice.
OWN_LOGGERS = ("manyi", "pipelines")


def _threshold(name: str, level: int) -> int:
    own = any(name == o or name.startswith(o + ".") for o in OWN_LOGGERS)
    return level if own else max(level, logging.WARNING)


def configure(level: int = logging.INFO) -> None:
    """Log to stderr: our loggers from ``level``, other libraries' from WARNING."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    handler.addFilter(lambda record: record.levelno >= _threshold(record.name, level))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
