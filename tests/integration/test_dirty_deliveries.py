"""The generator's injected contract violations, found exactly by ingestion.

The generator writes a manifest of every defect it injected (file, record, reason,
column); ingestion knows nothing of it. Both must agree row for row.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from pipelines.ingest.load import ingest


@pytest.fixture(scope="module")
def dirty(tmp_path_factory):
    root = tmp_path_factory.mktemp("dirty")
    landing = root / "landing"
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
            "12",
            "--dirty-rate",
            "0.03",
            "--seed",
            "7",
            "--out",
            str(landing),
        ],
        check=True,
        capture_output=True,
    )
    return root, json.loads((landing / "_manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded(dirty):
    root, manifest = dirty
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MANYI_DATA_DIR", str(root))
        mp.setenv("MANYI_PII_KEY", "k")
        results = ingest()
    import duckdb

    con = duckdb.connect(str(root / "warehouse" / "manyi.duckdb"), read_only=True)
    yield manifest, results, con
    con.close()


def test_every_kind_of_defect_was_injected(dirty):
    _, manifest = dirty
    reasons = Counter()
    formats = Counter()
    for entry in manifest["files"].values():
        reasons.update(entry["expected_quarantined"] or {})
        formats[(entry["format"], entry["encoding"])] += 1
        if entry["expected_rejected"]:
            reasons[entry["expected_rejected"]] += 1
    for reason in (
        "bad_type",
        "bad_enum",
        "missing_required",
        "rule_broken",
        "duplicate_key",
        "bad_phone",
        "missing_column",
    ):
        assert reasons[reason] > 0, reason
    kinds = {fmt for fmt, _ in formats} | {enc for _, enc in formats}
    assert {"csv", "csv.gz", "parquet", "gbk", "utf-8-sig"} <= kinds, formats


def test_load_log_counts_match_the_manifest(loaded):
    manifest, _, con = loaded
    log = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT source_file, status, reason, rows_read, rows_loaded, rows_quarantined "
            "FROM audit.load_log"
        ).fetchall()
    }
    assert sorted(log) == sorted(manifest["files"])
    for name, entry in manifest["files"].items():
        status, reason, read, loaded_rows, quarantined = log[name]
        assert read == loaded_rows + quarantined, name
        if entry["expected_rejected"]:
            assert (status, reason) == ("rejected", entry["expected_rejected"]), name
            assert loaded_rows == 0, name
        else:
            assert status == "loaded", name
            assert read == entry["rows"], name
            assert loaded_rows == entry["expected_loaded"], name


def test_each_defect_is_quarantined_on_its_line_with_its_reason(loaded):
    manifest, _, con = loaded
    got = Counter(
        con.execute(
            "SELECT source_file, line_number, reason, column_name FROM audit.quarantine "
            "WHERE reason <> 'missing_column'"
        ).fetchall()
    )
    expected = Counter()
    for name, entry in manifest["files"].items():
        if entry["expected_rejected"]:
            continue
        header = 0 if entry["format"] == "parquet" else 1
        for defect in entry["defects"]:
            column = defect["column"]
            if defect["reason"] == "duplicate_key":
                column = con.execute(
                    "SELECT column_name FROM audit.quarantine WHERE source_file = ? "
                    "AND reason = 'duplicate_key' LIMIT 1",
                    [name],
                ).fetchone()[0]
            expected[(name, defect["record"] + header, defect["reason"], column)] += 1
    assert got == expected


def test_rows_of_a_rejected_file_are_all_quarantined(loaded):
    manifest, results, con = loaded
    rejected = {n: e for n, e in manifest["files"].items() if e["expected_rejected"]}
    assert rejected
    for name, entry in rejected.items():
        n = con.execute(
            "SELECT count(*) FROM audit.quarantine WHERE source_file = ?", [name]
        ).fetchone()[0]
        assert n == entry["rows"], name
        table = entry["table"]
        assert (name, entry["expected_rejected"]) in results[table].outstanding_rejections
