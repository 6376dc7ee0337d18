"""The serving copy: a publication that keeps unchanged tables from the previous copy holds
exactly what a publication from scratch holds, and readers never fail while it is swapped."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines import settings
from pipelines.ingest.load import connect_warehouse
from pipelines.publish import FINGERPRINTS, publish, publish_snapshot, serving_asset

MARKER = "SELECT label FROM marts.build_marker"


def _warehouse() -> None:
    """A warehouse as a build leaves it: audit, staging and marts, the as_of of dbt."""
    con = connect_warehouse()
    con.execute("CREATE SCHEMA audit; CREATE SCHEMA marts; CREATE SCHEMA intermediate")
    con.execute("CREATE TABLE intermediate.int_as_of AS SELECT TIMESTAMP '2025-03-10 12:00' as_of")
    con.execute("CREATE TABLE audit.load_log AS SELECT 'a.csv' AS source_file, 3 AS rows_read")
    con.execute(
        "CREATE TABLE marts.kpi_values AS SELECT 'k' || i AS kpi_id, i / 7 AS value "
        "FROM range(20000) t(i)"
    )
    con.execute(
        "CREATE TABLE marts.tariff AS SELECT i AS customer, i % 3 AS plan FROM range(5000) t(i)"
    )
    con.execute("CREATE TABLE marts.build_marker AS SELECT 'first' AS label")
    con.execute("CREATE VIEW marts.kpi_ids AS SELECT DISTINCT kpi_id FROM marts.kpi_values")
    con.close()


def _contents(path: Path) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """Columns and sorted rows of every table of a serving copy but the publication's own."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            f"{s}.{t}"
            for s, t in con.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL"
            ).fetchall()
        ]
        return {
            name: (
                con.execute(f"DESCRIBE {name}").fetchall(),
                con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall(),
            )
            for name in names
            if name not in ("audit.build_info", FINGERPRINTS)
        }


def _publish(run_id: str) -> list[str]:
    con = connect_warehouse()
    try:
        return publish_snapshot(con, run_id).copied
    finally:
        con.close()


def _from_scratch(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same warehouse published into a data dir without a serving copy yet."""
    fresh = tmp_path / "fresh"
    (fresh / "warehouse").mkdir(parents=True)
    os.link(settings.paths().warehouse, fresh / "warehouse" / "manyi.duckdb")
    monkeypatch.setenv("MANYI_DATA_DIR", str(fresh))
    _publish("scratch")
    monkeypatch.setenv("MANYI_DATA_DIR", str(data_dir))
    return settings.Paths(fresh).serving


def test_the_first_publication_copies_every_table_and_materialises_views(data_dir):
    _warehouse()
    copied = _publish("one")
    assert copied == [
        "audit.load_log",
        "marts.build_marker",
        "marts.kpi_ids",
        "marts.kpi_values",
        "marts.tariff",
    ]
    contents = _contents(settings.paths().serving)
    assert len(contents["marts.kpi_ids"][1]) == 20000
    with duckdb.connect(str(settings.paths().serving), read_only=True) as con:
        assert con.execute("SELECT run_id, as_of FROM audit.build_info").fetchone() == (
            "one",
            duckdb.execute("SELECT TIMESTAMP '2025-03-10 12:00'").fetchone()[0],
        )
        assert con.execute(f"SELECT count(*) FROM {FINGERPRINTS}").fetchone()[0] == 5


def test_a_publication_writes_only_what_changed_and_equals_one_from_scratch(
    data_dir, tmp_path, monkeypatch
):
    _warehouse()
    _publish("one")
    assert _publish("two") == [], "nothing changed: every table kept"
    con = connect_warehouse()
    # A changed value, a column renamed (every value as before), a table gone, a new one,
    # and rows reordered without changing the table's contents.
    con.execute("UPDATE marts.kpi_values SET value = value + 1 WHERE kpi_id = 'k7'")
    con.execute("ALTER TABLE marts.tariff RENAME COLUMN plan TO plan_code")
    con.execute("DROP TABLE marts.build_marker")
    con.execute("CREATE TABLE marts.new_list AS SELECT 1 AS id")
    con.execute("CREATE OR REPLACE TABLE audit.load_log AS SELECT * FROM audit.load_log ORDER BY 1")
    con.close()
    # kpi_ids, a view of the kpi ids alone, is as it was.
    assert _publish("three") == ["marts.kpi_values", "marts.new_list", "marts.tariff"]
    served = _contents(settings.paths().serving)
    assert "marts.build_marker" not in served
    assert served == _contents(_from_scratch(data_dir, tmp_path, monkeypatch))


def test_a_copy_without_fingerprints_is_replaced_whole(data_dir):
    _warehouse()
    serving = settings.paths().serving
    with duckdb.connect(str(serving)) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.stale AS SELECT 1 AS x")
    assert len(_publish("one")) == 5
    assert "marts.stale" not in _contents(serving)


def test_repeated_publications_do_not_grow_the_file(data_dir):
    _warehouse()
    sizes = []
    for i in range(6):
        con = connect_warehouse()
        con.execute(f"UPDATE marts.tariff SET plan = plan + {i}")
        con.close()
        _publish(f"run{i}")
        sizes.append(settings.paths().serving.stat().st_size)
    # The file holds the tables and, at most, the blocks of the last tables replaced.
    assert max(sizes[2:]) <= sizes[1] * 1.5


def test_publish_returns_the_row_count_of_every_table(data_dir):
    _warehouse()
    con = connect_warehouse()
    try:
        counts = publish(con, "bench")
    finally:
        con.close()
    assert counts["marts.kpi_values"] == 20000
    assert counts["marts.build_marker"] == 1


def test_readers_never_fail_and_never_mix_builds_while_copies_are_swapped(data_dir):
    """A reader opens the serving copy read-only for each query, as the dashboard does,
    while publications swap new copies in; each sees one whole build."""
    _warehouse()
    _publish("run0")
    stop = threading.Event()
    seen: list[tuple[str, str]] = []
    errors: list[Exception] = []

    def read() -> None:
        while not stop.is_set():
            try:
                with duckdb.connect(str(settings.paths().serving), read_only=True) as con:
                    seen.append(
                        con.execute(
                            f"SELECT (SELECT run_id FROM audit.build_info), ({MARKER})"
                        ).fetchone()
                    )
            except duckdb.Error as exc:
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(1, 16):
            con = connect_warehouse()
            con.execute("UPDATE marts.build_marker SET label = ?", [f"run{i}"])
            con.close()
            _publish(f"run{i}")
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert len(seen) > 15
    # run0's marker is the warehouse's 'first'; every later build carries its own.
    assert all(label == run or (run, label) == ("run0", "first") for run, label in seen)


def test_the_asset_reports_what_it_copied(data_dir):
    _warehouse()
    _publish("before")
    con = connect_warehouse()
    con.execute("UPDATE marts.build_marker SET label = 'second'")
    con.close()
    result = dg.materialize([serving_asset(deps=[])])
    [materialization] = result.asset_materializations_for_node("serving__snapshot")
    assert materialization.metadata["tables_copied"].value == ["marts.build_marker"]
    assert materialization.metadata["rows"].value["marts.kpi_values"] == 20000
