"""A day's incremental build through `python -m pipelines.build`: its serving copy, which
keeps the tables the day left unchanged from the previous copy, holds what a full build of
every delivery at once holds."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines import settings
from pipelines.contract import TABLE_BY_NAME
from pipelines.settings import REPO_ROOT

pytestmark = pytest.mark.slow

START, DAYS = date(2026, 8, 24), 21
LAST_DAY = (START + timedelta(days=DAYS - 1)).isoformat()
# Columns that say when a row was loaded, or by which run: a full build loads everything in
# one run, the incremental build in two.
LOAD_COLUMNS = {
    "run_id",
    "started_at",
    "finished_at",
    "quarantined_at",
    "_loaded_at",
    "latest_loaded_at",
}
PUBLICATION = {"audit.build_info", "audit.published_tables"}


def _build(root: Path) -> None:
    env = {**os.environ, "MANYI_DATA_DIR": str(root), "MANYI_PII_KEY": "incremental-key"}
    env.pop("MANYI_AS_OF", None)
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.build"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _deliver(source: Path, root: Path, last_day: bool) -> None:
    """Copy the deliveries into root's landing: all but the last day's daily files, or those."""
    for path in sorted(source.rglob("*.csv")):
        daily = TABLE_BY_NAME[path.parent.name].delivery == "daily"
        if (daily and path.stem.endswith(LAST_DAY)) == last_day:
            target = root / "landing" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def _serving(root: Path) -> dict[str, list[tuple]]:
    """Every published table's rows, sorted, without load columns."""
    path = root / "warehouse" / "serving.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        columns: dict[str, list[tuple[str, str]]] = {}
        for schema, table, column, data_type in con.execute(
            "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = current_database() AND NOT internal "
            "ORDER BY schema_name, table_name, column_index"
        ).fetchall():
            if f"{schema}.{table}" not in PUBLICATION and column not in LOAD_COLUMNS:
                columns.setdefault(f"{schema}.{table}", []).append((f'"{column}"', data_type))
        tables = {}
        for table, typed in columns.items():
            # Doubles last in the sort, rounded: their last bits differ between runs.
            order = [c for c, t in typed if t != "DOUBLE"]
            order += [f"round({c}, 6)" for c, t in typed if t == "DOUBLE"]
            select = ", ".join(c for c, _ in typed)
            tables[table] = con.execute(
                f"SELECT {select} FROM {table} ORDER BY {', '.join(order)}"
            ).fetchall()
        return tables


def _close(x: object, y: object) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
    return x == y


def _differing(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> list[str]:
    """The tables whose rows differ, doubles compared to within a relative 1e-9."""

    def same(rows: list[tuple], others: list[tuple]) -> bool:
        return len(rows) == len(others) and all(
            all(_close(x, y) for x, y in zip(r, o, strict=True))
            for r, o in zip(rows, others, strict=True)
        )

    return sorted(t for t in a.keys() | b.keys() if not same(a.get(t, []), b.get(t, [])))


def _copied(root: Path) -> set[str]:
    """The tables the last publication wrote anew (from the serving asset's metadata)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MANYI_DATA_DIR", str(root))
        for name, value in settings.dagster_env().items():
            patch.setenv(name, value)
        with dg.DagsterInstance.get() as instance:
            event = instance.get_latest_materialization_event(dg.AssetKey(["serving", "snapshot"]))
    assert event is not None and event.asset_materialization is not None
    return set(event.asset_materialization.metadata["tables_copied"].value)


def test_a_days_incremental_build_equals_a_full_build(tmp_path_factory):
    source = tmp_path_factory.mktemp("deliveries")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines.synthetic",
            "--scale",
            "demo",
            "--subscribers",
            "1500",
            "--days",
            str(DAYS),
            "--start",
            START.isoformat(),
            "--out",
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    incremental = tmp_path_factory.mktemp("incremental")
    _deliver(source, incremental, last_day=False)
    _build(incremental)
    before = _serving(incremental)
    _deliver(source, incremental, last_day=True)
    _build(incremental)
    after = _serving(incremental)

    full = tmp_path_factory.mktemp("full")
    _deliver(source, full, last_day=False)
    _deliver(source, full, last_day=True)
    _build(full)
    assert _differing(after, _serving(full)) == []

    # The day changed some tables and not others: the publication wrote every changed one
    # anew (and those whose only change is a load column) and kept the catalogue.
    copied = _copied(incremental)
    assert "marts.kpi_values" in copied
    assert "marts.kpi_catalog" not in copied
    assert set(_differing(before, after)) <= copied
