"""``--dirty-rate``: the manifest says exactly what the files hold.

Every delivery is read back (CSV in its declared encoding, gzip, Parquet) and checked by a
small validator written here from the contract, independently of the generator: the first
failing check of each record must be the reason the manifest gives for it.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.contract import BOOL_FALSE, BOOL_TRUE, REASONS, TABLE_BY_NAME, TABLES, Kind, Table
from pipelines.synthetic import config_for, generate
from pipelines.synthetic.defects import RULE_MUTATIONS

Row = dict[str, Any]


def dirty_run(out: Path, subscribers: int, days: int, rate: float) -> dict[str, Any]:
    cfg = config_for("demo", seed=11, subscribers=subscribers, days=days, out=out, dirty_rate=rate)
    return json.loads(generate(cfg, log=lambda line: None).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Small enough to validate every file, row by row."""
    out = tmp_path_factory.mktemp("dirty")
    return out, dirty_run(out, subscribers=3000, days=10, rate=0.02)


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Long enough for complaint call-backs, so that every rule finds a row to break."""
    out = tmp_path_factory.mktemp("wide")
    return out, dirty_run(out, subscribers=20_000, days=20, rate=0.002)


def read_delivery(path: Path, entry: dict[str, Any]) -> tuple[list[str], list[Row]]:
    if entry["format"] == "parquet":
        data = pq.read_table(path)
        return data.column_names, data.to_pylist()
    raw = path.read_bytes()
    if entry["format"] == "csv.gz":
        raw = gzip.decompress(raw)
    reader = csv.DictReader(io.StringIO(raw.decode(entry["encoding"]), newline=""))
    rows = [{k: (v if v.strip() else None) for k, v in r.items()} for r in reader]
    return list(reader.fieldnames or []), rows


# --- an independent reading of the contract's value formats -------------------------------


def local_time(v: str) -> datetime | None:
    try:
        if "T" in v:
            aware = datetime.fromisoformat(v.replace("Z", "+00:00"))
            if aware.tzinfo is None:
                return None
            return aware.astimezone(timezone(timedelta(hours=8))).replace(tzinfo=None)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?", v):
            return datetime.fromisoformat(v)
    except ValueError:
        return None
    return None


def typed(kind: Kind, v: str) -> Any:
    """The value of ``v`` as ``kind``, or None when it does not parse."""
    v = v.strip()
    try:
        match kind:
            case Kind.DATE:
                return date.fromisoformat(v) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) else None
            case Kind.MONTH:
                return date.fromisoformat(v + "-01") if re.fullmatch(r"\d{4}-\d{2}", v) else None
            case Kind.TIMESTAMP:
                return local_time(v)
            case Kind.MONEY:
                return Decimal(v) if re.fullmatch(r"-?\d+(\.\d{1,2})?", v) else None
            case Kind.INT:
                return int(v) if re.fullmatch(r"-?\d+", v) else None
            case Kind.BOOL:
                low = v.lower()
                return True if low in BOOL_TRUE else False if low in BOOL_FALSE else None
            case Kind.PHONE:
                m = re.fullmatch(r"(?:\+86|0086|86)?(1\d{10})", re.sub(r"[\s-]", "", v))
                return m.group(1) if m else None
    except ValueError:
        return None
    return v


ARROW = {
    Kind.DATE: pa.date32(),
    Kind.MONTH: pa.date32(),
    Kind.TIMESTAMP: pa.timestamp("us"),
    Kind.MONEY: pa.decimal128(18, 2),
    Kind.INT: pa.int64(),
    Kind.BOOL: pa.bool_(),
}


def row_problem(table: Table, row: Row) -> str | None:
    """The first failing value check, in the order the brief fixes."""
    values = {c.name: row.get(c.name) for c in table.columns}
    for c in table.columns:
        if values[c.name] is None and (c.required or c.name in table.primary_key):
            return "missing_required"
    present = [c for c in table.columns if values[c.name] is not None]
    for c in present:
        if (
            c.kind not in (Kind.TEXT, Kind.ENUM, Kind.PHONE)
            and typed(c.kind, values[c.name]) is None
        ):
            return "bad_type"
    for c in present:
        if c.values and str(typed(c.kind, values[c.name])) not in c.values:
            return "bad_enum"
    for c in present:
        if c.kind is Kind.PHONE and typed(c.kind, values[c.name]) is None:
            return "bad_phone"
    return None


def broken_rules(table: Table, rows: list[Row]) -> list[set[str]]:
    """For each row, the names of the contract rules its typed values break (DuckDB SQL)."""
    if not table.rules or not rows:
        return [set() for _ in rows]
    cols = [c for c in table.columns if c.kind is not Kind.PHONE]
    arrays = {
        c.name: pa.array(
            [typed(c.kind, r[c.name]) if r.get(c.name) is not None else None for r in rows],
            type=ARROW.get(c.kind, pa.string()),
        )
        for c in cols
    }
    data = pa.table({"idx": pa.array(range(len(rows)), pa.int64()), **arrays})
    con = duckdb.connect()
    con.register("t", data)
    broken: list[set[str]] = [set() for _ in rows]
    for rule in table.rules:
        for (i,) in con.execute(f"SELECT idx FROM t WHERE {rule.broken}").fetchall():
            broken[i].add(rule.name)
    return broken


def expected_reasons(table: Table, rows: list[Row]) -> dict[int, str]:
    """record number (1-based) -> quarantine reason, for every row that must not load."""
    found = {i: p for i, r in enumerate(rows) if (p := row_problem(table, r))}
    typed_ok = [i for i in range(len(rows)) if i not in found]
    rules = broken_rules(table, [rows[i] for i in typed_ok])
    found |= {i: "rule_broken" for i, b in zip(typed_ok, rules, strict=True) if b}
    seen: set[tuple] = set()
    for i, r in enumerate(rows):
        if i in found:
            continue
        key = tuple(typed(table.column(c).kind, r[c]) for c in table.primary_key)
        if key in seen:
            found[i] = "duplicate_key"
        seen.add(key)
    return {i + 1: reason for i, reason in found.items()}


# --- the tests -----------------------------------------------------------------------------


def test_every_contract_rule_has_a_mutation() -> None:
    assert set(RULE_MUTATIONS) == {r.name for t in TABLES for r in t.rules}


def test_manifest_matches_what_the_files_hold(dirty: tuple[Path, dict[str, Any]]) -> None:
    out, manifest = dirty
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert on_disk == set(manifest["files"]) | {"_manifest.json"}
    for name, entry in manifest["files"].items():
        table = TABLE_BY_NAME[entry["table"]]
        header, rows = read_delivery(out / name, entry)
        assert len(rows) == entry["rows"], name
        assert set(entry["expected_quarantined"]) <= set(REASONS), name
        if entry["expected_rejected"]:
            assert entry["expected_rejected"] == "missing_column"
            assert entry["missing_column"] in table.required_columns
            assert entry["missing_column"] not in header
            assert entry["expected_loaded"] == 0
            continue
        assert header == [c.name for c in table.columns], name
        reasons = expected_reasons(table, rows)
        declared = {d["record"]: d["reason"] for d in entry["defects"]}
        assert reasons == declared, name
        assert Counter(reasons.values()) == Counter(entry["expected_quarantined"]), name
        assert entry["expected_loaded"] == len(rows) - len(reasons), name


def test_every_kind_of_defect_and_every_rule_is_injected(wide: tuple[Path, dict]) -> None:
    _, manifest = wide
    files = manifest["files"].values()
    reasons = Counter(r for f in files for r in f["expected_quarantined"])
    row_reasons = {"missing_required", "bad_type", "bad_enum", "bad_phone", "rule_broken"}
    assert row_reasons | {"duplicate_key"} <= set(reasons)
    assert [f["expected_rejected"] for f in files if f["expected_rejected"]] == ["missing_column"]
    rules = {d["rule"] for f in files for d in f["defects"] if d["reason"] == "rule_broken"}
    assert rules == set(RULE_MUTATIONS)


def test_other_formats_and_encodings_are_delivered(dirty: tuple[Path, dict]) -> None:
    out, manifest = dirty
    kinds = {(f["format"], f["encoding"]) for f in manifest["files"].values()}
    assert {("parquet", None), ("csv.gz", "utf-8"), ("csv", "utf-8-sig")} <= kinds
    gbk = [n for n, f in manifest["files"].items() if f["encoding"] in ("gbk", "gb18030")]
    assert gbk
    for name in gbk:
        (out / name).read_bytes().decode("gb18030")
    # Real Chinese text, not ASCII that happens to be valid GBK as well.
    with pytest.raises(UnicodeDecodeError):
        (out / "staff" / next(p.name for p in (out / "staff").iterdir())).read_bytes().decode()
    boms = [n for n, f in manifest["files"].items() if f["encoding"] == "utf-8-sig"]
    assert all((out / n).read_bytes().startswith(b"\xef\xbb\xbf") for n in boms)
    parquet = [n for n, f in manifest["files"].items() if f["format"] == "parquet"]
    assert all(
        pq.read_schema(out / n).types == [pa.string()] * len(pq.read_schema(out / n).names)
        for n in parquet
    )


def test_each_broken_row_breaks_exactly_its_rule(wide: tuple[Path, dict]) -> None:
    out, manifest = wide
    for name, entry in manifest["files"].items():
        table = TABLE_BY_NAME[entry["table"]]
        rule_rows = [d["record"] for d in entry["defects"] if d["reason"] == "rule_broken"]
        if entry["expected_rejected"] or not rule_rows:
            continue
        _, rows = read_delivery(out / name, entry)
        broken = broken_rules(table, [rows[r - 1] for r in rule_rows])
        declared = [d["rule"] for d in entry["defects"] if d["reason"] == "rule_broken"]
        assert broken == [{rule} for rule in declared], name
