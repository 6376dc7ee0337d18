"""The demo/benchmark generator on tiny scales: shape, determinism and referential integrity.

Files are read back with the csv module, independently of the generator's own code.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from pipelines.contract import TABLES, Kind
from pipelines.synthetic import config_for, generate
from pipelines.synthetic.__main__ import main
from pipelines.synthetic.hotline import agents_needed, erlang_c

START = date(2026, 8, 24)  # 8 days to the end of August: one complete month is billed


def run(out: Path, seed: int = 7, subscribers: int = 3000, days: int = 10, dirty: float = 0.0):
    cfg = config_for(
        "demo", seed=seed, subscribers=subscribers, days=days, out=out, dirty_rate=dirty
    )
    return generate(cfg, log=lambda line: None)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str | None]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [{k: (v if v != "" else None) for k, v in row.items()} for row in reader]
        return list(reader.fieldnames or []), rows


def table_rows(out: Path, table: str) -> list[dict[str, str | None]]:
    rows: list[dict[str, str | None]] = []
    for path in sorted((out / table).glob("*.csv")):
        rows += read_csv(path)[1]
    return rows


def phone(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value)
    match = re.fullmatch(r"(?:\+86|0086|86)?(1\d{10})", compact)
    assert match, f"not a mobile number: {value!r}"
    return match.group(1)


def local_time(value: str) -> datetime:
    if "T" in value:
        aware = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return aware.astimezone(timezone(timedelta(hours=8))).replace(tzinfo=None)
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    run(out)
    return out


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough complaints for call-backs to happen, and enough rows for the rare spellings."""
    out = tmp_path_factory.mktemp("medium")
    run(out, seed=3, subscribers=20_000, days=20)
    return out


def test_every_contract_table_has_exactly_the_contract_columns(clean: Path) -> None:
    for table in TABLES:
        files = sorted((clean / table.name).iterdir())
        assert files, f"no delivery for {table.name}"
        for path in files:
            header, _ = read_csv(path)
            assert header == [c.name for c in table.columns], path.name


def test_file_naming_daily_monthly_and_snapshots(clean: Path) -> None:
    days = [START + timedelta(days=i) for i in range(10)]
    for table in TABLES:
        names = sorted(p.name for p in (clean / table.name).iterdir())
        if table.delivery == "snapshot":
            assert names == [f"{table.name}_{days[-1]}.csv"]
        elif table.delivery == "monthly":
            assert names == [f"{table.name}_2026-08.csv"]  # September is not complete
        else:
            assert names == [f"{table.name}_{d}.csv" for d in days]


def test_same_seed_same_bytes_other_seed_other_bytes(clean: Path, tmp_path: Path) -> None:
    def digest(root: Path) -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    run(tmp_path / "again")
    assert digest(tmp_path / "again") == digest(clean)
    run(tmp_path / "other", seed=8)
    other = digest(tmp_path / "other")
    assert other.keys() == digest(clean).keys()
    assert other != digest(clean)


def test_values_within_the_contract(clean: Path) -> None:
    for table in TABLES:
        rows = table_rows(clean, table.name)
        for col in table.columns:
            values = {r[col.name] for r in rows}
            if col.required or col.name in table.primary_key:
                assert None not in values, f"{table.name}.{col.name} has empty values"
            values.discard(None)
            if col.values:
                assert values <= set(col.values), f"{table.name}.{col.name}: {values}"
            if col.kind is Kind.PHONE:
                for v in values:
                    phone(v)
            if col.kind is Kind.TIMESTAMP:
                for v in values:
                    local_time(v)


def test_keys_are_unique_across_all_deliveries(clean: Path) -> None:
    for table in TABLES:
        keys = [
            tuple(phone(r[c]) if c == "msisdn" else r[c] for c in table.primary_key)
            for r in table_rows(clean, table.name)
        ]
        assert len(keys) == len(set(keys)), table.name


def test_referential_integrity(medium: Path) -> None:
    def ids(table: str, column: str) -> set[str]:
        return {r[column] for r in table_rows(medium, table) if r[column] is not None}

    def refs(table: str, column: str) -> set[str]:
        return ids(table, column)

    halls, staff, plans = (
        ids("halls", "hall_id"),
        ids("staff", "staff_id"),
        ids("plans", "plan_code"),
    )
    complaints = ids("complaints", "complaint_id")
    subscribers = {phone(r["msisdn"]) for r in table_rows(medium, "subscribers")}
    assert refs("staff", "hall_id") <= halls
    assert refs("subscribers", "home_hall_id") <= halls
    assert refs("subscribers", "plan_code") <= plans
    assert refs("bill_items", "plan_code") <= plans
    assert refs("sms_ratings", "hall_id") <= halls
    assert refs("sms_ratings", "staff_id") <= staff
    assert refs("complaints", "first_owner_staff_id") <= staff
    assert refs("complaints", "hall_id") <= halls
    assert refs("complaint_events", "staff_id") <= staff
    assert refs("hotline_calls", "agent_id") <= staff
    assert refs("agent_shifts", "staff_id") <= staff
    # The last day's late complaint, if any, is still to come; all others have arrived.
    assert refs("complaint_events", "complaint_id") <= complaints
    assert refs("hotline_calls", "complaint_id") <= complaints
    assert refs("billing_disputes", "complaint_id") <= complaints
    for table in TABLES:
        if table.name != "subscribers" and any(c.kind is Kind.PHONE for c in table.columns):
            numbers = {phone(r["msisdn"]) for r in table_rows(medium, table.name)}
            assert numbers <= subscribers, table.name


def test_late_complaint_arrives_after_its_events(medium: Path) -> None:
    late = json.loads((medium / "_manifest.json").read_text(encoding="utf-8"))["late_arrivals"]
    assert late
    for item in late:
        received = read_csv(medium / "complaints" / f"complaints_{item['received_on']}.csv")[1]
        delivered = read_csv(medium / "complaints" / f"complaints_{item['delivered_on']}.csv")[1]
        assert item["complaint_id"] not in {r["complaint_id"] for r in received}
        assert item["complaint_id"] in {r["complaint_id"] for r in delivered}
        events = read_csv(
            medium / "complaint_events" / f"complaint_events_{item['received_on']}.csv"
        )[1]
        hotline = read_csv(medium / "hotline_calls" / f"hotline_calls_{item['received_on']}.csv")[1]
        referenced = {r["complaint_id"] for r in events} | {r["complaint_id"] for r in hotline}
        assert item["complaint_id"] in referenced  # its first traces came the day before


ANCHORS = {
    "hotline_calls": "call_start_at",
    "agent_shifts": "shift_start_at",
    "complaints": "received_at",
    "complaint_events": "event_at",
    "sms_ratings": "invited_at",
    "payments": "paid_at",
    "vas_orders": "requested_at",
    "billing_disputes": "raised_at",
    "suspensions": "suspended_at",
    "data_usage_alerts": "crossed_at",
}


def test_daily_files_hold_the_rows_anchored_on_their_day(medium: Path) -> None:
    daily = {t.name for t in TABLES if t.delivery == "daily"}
    assert daily == set(ANCHORS)
    manifest = json.loads((medium / "_manifest.json").read_text(encoding="utf-8"))
    late = {item["complaint_id"]: item["delivered_on"] for item in manifest["late_arrivals"]}
    for table, anchor in ANCHORS.items():
        for path in (medium / table).glob("*.csv"):
            file_day = path.stem.rsplit("_", 1)[1]
            for row in read_csv(path)[1]:
                on = str(local_time(row[anchor] or "").date())
                assert on == file_day or late.get(row.get("complaint_id")) == file_day, path.name


def test_time_order_within_rows(medium: Path) -> None:
    for r in table_rows(medium, "hotline_calls"):
        assert local_time(r["call_end_at"]) >= local_time(r["call_start_at"])
        if r["ivr_outcome"] == "agent_request":
            assert (r["answered_at"] is None) != (r["abandoned_at"] is None)
    for r in table_rows(medium, "sms_ratings"):
        assert local_time(r["invited_at"]) >= local_time(r["served_at"])
    for r in table_rows(medium, "agent_shifts"):
        assert local_time(r["shift_end_at"]) > local_time(r["shift_start_at"])


def test_valid_variant_spellings_are_present(medium: Path) -> None:
    calls = table_rows(medium, "hotline_calls")
    assert any("T" in (r["call_start_at"] or "") for r in calls), "no ISO 8601 timestamps"
    assert any(not (r["msisdn"] or "").isdigit() for r in calls), "no +86 / spaced numbers"
    summaries = [r["summary"] or "" for r in table_rows(medium, "complaints")]
    assert any("\n" in s or "," in s for s in summaries), "no summary needing RFC 4180 quotes"
    replies = {r["reply_text"] for r in table_rows(medium, "sms_ratings")}
    assert {"１", "TD"} & replies


def test_hotline_agent_request_share_and_connection(medium: Path) -> None:
    calls = table_rows(medium, "hotline_calls")
    requests = [r for r in calls if r["ivr_outcome"] == "agent_request"]
    answered = sum(r["answered_at"] is not None for r in requests)
    assert 0.4 < len(requests) / len(calls) < 0.65
    assert 0.85 < answered / len(requests) <= 1.0


def test_erlang_c_matches_the_kpi_test_vectors() -> None:
    assert erlang_c(55, 48.0) == pytest.approx(0.238701, abs=1e-6)
    assert agents_needed(360, 240) == 54
    assert agents_needed(100, 180) == 14


def test_cli_writes_into_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--subscribers", "500", "--days", "2", "--seed", "5", "--out", str(tmp_path)]
    assert main(args) == 0
    assert "hotline_calls" in capsys.readouterr().out
    assert (tmp_path / "_manifest.json").exists()
    assert (tmp_path / "hotline_calls" / "hotline_calls_2026-08-25.csv").exists()


def test_a_rerun_replaces_its_own_files_only(tmp_path: Path) -> None:
    foreign = tmp_path / "payments" / "export_from_boss.csv"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("payment_id\n", encoding="utf-8")
    run(tmp_path, subscribers=500, days=2, dirty=0.05)
    run(tmp_path, subscribers=500, days=2)
    listed = set(json.loads((tmp_path / "_manifest.json").read_text(encoding="utf-8"))["files"])
    on_disk = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.*") if p.parent != tmp_path}
    assert on_disk == listed | {"payments/export_from_boss.csv"}
