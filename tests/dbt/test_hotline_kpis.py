"""Hotline KPIs (kpis.md, "Hotline 10086") on hand-made calls, evaluated at 2025-03-10 12:00.

Customers: A gotone (20-s tier), B mzone VIP (20-s tier), C easyown (30-s tier), D not in
subscribers (brand 'unknown', 30-s tier). Every expected number below is worked out by
hand from the call list; the comment on each call says what it tests.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pytest
from dbt_harness import DbtBuild, load_rows

from tests.conftest import PII_KEY

AS_OF = "2025-03-10 12:00:00"
LOADED_AT = datetime(2025, 3, 10, 12, 30)


def phone(msisdn: str) -> dict[str, str]:
    """The stored form of a phone number, as ingestion writes it."""
    key = hmac.new(PII_KEY.encode(), msisdn.encode(), hashlib.sha256).hexdigest()
    return {"customer_key": key, "msisdn_masked": f"{msisdn[:3]}****{msisdn[-4:]}"}


A, B, C, D = (phone(f"1380000000{n}") for n in range(1, 5))

SUBSCRIBERS = [
    {**A, "brand": "gotone", "vip": False},
    {**B, "brand": "mzone", "vip": True},
    {**C, "brand": "easyown", "vip": False},
]
for _sub in SUBSCRIBERS:
    _sub.update(plan_code="P1", activated_on=datetime(2020, 1, 1).date())


def agent_call(
    call_id: str,
    who: dict[str, str],
    start: str,
    queue: str,
    wait: float,
    *,
    answered: bool = True,
    talk: float = 60,
    wrapup: int | None = None,
    ivr: float = 5,
) -> dict[str, Any]:
    """An agent request queued `ivr` s after the start, answered or abandoned `wait` s later."""
    begin = datetime.fromisoformat(start)
    queued = begin + timedelta(seconds=ivr)
    reached = queued + timedelta(seconds=wait)
    return {
        "call_id": call_id,
        **who,
        "call_start_at": begin,
        "ivr_exit_at": queued,
        "ivr_outcome": "agent_request",
        "queue": queue,
        "queued_at": queued,
        "answered_at": reached if answered else None,
        "abandoned_at": None if answered else reached,
        "agent_id": "S1" if answered else None,
        "call_end_at": reached + timedelta(seconds=talk) if answered else reached,
        "wrapup_seconds": wrapup,
    }


def ivr_call(call_id: str, who: dict[str, str], start: str, outcome: str, seconds: int) -> dict:
    begin = datetime.fromisoformat(start)
    return {
        "call_id": call_id,
        **who,
        "call_start_at": begin,
        "ivr_outcome": outcome,
        "call_end_at": begin + timedelta(seconds=seconds),
    }


CALLS = [
    # 2025-03-03 (Monday). Answered at exactly 15 s: within 15 s and A's 20-s tier.
    # Handle 300 + wrap-up 30 = 330. Repeated by c05 3 h later: FCR not resolved.
    agent_call("c01", A, "2025-03-03 09:00:00", "billing", 15, talk=300, wrapup=30),
    # 16 s: not within 15 s; B is VIP, within 20 s. Handle 120 (wrap-up empty = 0).
    # Its only later call (c13) is abandoned, no repeat: resolved.
    agent_call("c02", B, "2025-03-03 09:10:00", "vip", 16, talk=120),
    # 25 s: C's 30-s tier. Handle 195. Repeated by c10: not resolved.
    agent_call("c03", C, "2025-03-03 10:00:00", "billing", 25, talk=180, wrapup=15),
    # D is not loaded: brand 'unknown', 30-s tier, 31 s misses it. Resolved.
    agent_call("c04", D, "2025-03-03 11:00:00", "data", 31, talk=120, wrapup=0),
    # 21 s misses A's 20-s (gotone) tier. Handle 69. c11 at exactly +24 h is a repeat.
    agent_call("c05", A, "2025-03-03 12:00:00", "billing", 21, talk=60, wrapup=9),
    # Abandoned after 10 s: in every agent-request denominator, in no numerator.
    agent_call("c06", C, "2025-03-03 13:00:00", "billing", 10, answered=False),
    ivr_call("c07", B, "2025-03-03 14:00:00", "self_service", 180),
    ivr_call("c08", D, "2025-03-03 14:10:00", "hangup", 30),
    ivr_call("c09", C, "2025-03-03 15:00:00", "self_service", 120),
    # 15.5 s: a whole-second difference would say 15, the exact one is late.
    # c12 starts 24 h + 1 s later: no repeat, resolved.
    agent_call("c10", C, "2025-03-03 16:00:00", "general", 15.5, talk=60, ivr=0),
    agent_call("c13", B, "2025-03-03 20:00:00", "vip", 35, answered=False),
    # 2025-03-04: both resolved (no later call of A or C).
    agent_call("c11", A, "2025-03-04 12:00:00", "general", 5, talk=300, ivr=0),
    agent_call("c12", C, "2025-03-04 16:00:01", "billing", 9, talk=180),
    # 2025-03-09. 23 h before as_of and no repeat: FCR not assessed yet. c19 would be a
    # repeat but has not ended by as_of.
    agent_call("c14", D, "2025-03-09 13:00:00", "general", 5, talk=300),
    # 25 h before as_of, no repeat: assessed, resolved.
    agent_call("c15", A, "2025-03-09 11:00:00", "general", 5, talk=290),
    # Exactly 24 h before as_of: the deadline has not strictly passed, not assessed.
    agent_call("c18", C, "2025-03-09 12:00:00", "billing", 5, talk=290),
    # 2025-03-10: c16 is repeated by c17 (assessed before its deadline, not resolved);
    # c17 is still inside its 24 h.
    agent_call("c16", B, "2025-03-10 08:00:00", "vip", 5, talk=590),
    agent_call("c17", B, "2025-03-10 09:00:00", "vip", 5, talk=590),
    # Ends 1 s after as_of: not counted at all.
    agent_call("c19", D, "2025-03-10 11:55:00", "general", 5, talk=291),
    ivr_call("c20", C, "2025-03-10 11:59:00", "self_service", 120),
    # Ends exactly at as_of: counted.
    ivr_call("c21", A, "2025-03-10 11:58:00", "self_service", 120),
    # Starts after as_of.
    agent_call("c22", A, "2025-03-10 13:00:00", "general", 5),
]

ROWS = {"subscribers": SUBSCRIBERS, "hotline_calls": CALLS}


@pytest.fixture(scope="module")
def hotline(dbt_build_factory: Callable[[str], DbtBuild]) -> DbtBuild:
    build = dbt_build_factory("hotline")
    load_rows(build.database, ROWS, LOADED_AT, "hotline_calls.csv")
    build.run("build", as_of=AS_OF)
    return build


def part(build: DbtBuild, kpi_id: str, day: str, segment: tuple[str, str] = ("all", "all")):
    """(numerator, denominator) of a day row of int_kpi_parts__hotline, None if absent."""
    rows = build.query(
        "SELECT numerator, denominator FROM intermediate.int_kpi_parts__hotline "
        "WHERE kpi_id = ? AND grain = 'day' AND period_start = CAST(? AS DATE) "
        "AND segment_type = ? AND segment_value = ?",
        (kpi_id, day, *segment),
    )
    assert len(rows) <= 1
    return rows[0] if rows else None


def facts(build: DbtBuild, column: str) -> dict[str, Any]:
    rows = build.query(f"SELECT call_id, {column} FROM intermediate.int_hotline_calls__facts")
    return dict(rows)


MONDAY = "2025-03-03"


@pytest.mark.parametrize(
    ("kpi_id", "expected"),
    [
        # 8 agent requests (c01-c06, c10, c13), 6 answered.
        ("hotline_connection_rate", (6, 8)),
        # Only c01 (exactly 15 s); abandons c06, c13 stay in the denominator.
        ("hotline_answer_15s", (1, 8)),
        # c01 (A, 15 ≤ 20), c02 (VIP, 16 ≤ 20), c03 (25 ≤ 30), c10 (15.5 ≤ 30).
        ("hotline_service_level_tiered", (4, 8)),
        ("hotline_abandon_rate", (2, 8)),
        # 15 + 16 + 25 + 31 + 21 + 15.5 over the 6 answered.
        ("hotline_asa_seconds", (123.5, 6)),
        # 330 + 120 + 195 + 120 + 69 + 60.
        ("hotline_aht_seconds", (894, 6)),
        # Resolved: c02, c04, c10; repeated: c01, c03, c05.
        ("hotline_fcr", (3, 6)),
        # Over all 11 calls of the day: c07, c09.
        ("hotline_ivr_self_service_rate", (2, 11)),
    ],
)
def test_day_totals(hotline: DbtBuild, kpi_id: str, expected: tuple) -> None:
    assert part(hotline, kpi_id, MONDAY) == expected


@pytest.mark.parametrize(
    ("kpi_id", "segment", "expected"),
    [
        ("hotline_connection_rate", ("queue", "billing"), (3, 4)),
        ("hotline_answer_15s", ("queue", "billing"), (1, 4)),
        ("hotline_service_level_tiered", ("queue", "billing"), (2, 4)),
        ("hotline_asa_seconds", ("queue", "billing"), (61, 3)),
        ("hotline_aht_seconds", ("queue", "billing"), (594, 3)),
        ("hotline_fcr", ("queue", "billing"), (0, 3)),
        ("hotline_abandon_rate", ("queue", "vip"), (1, 2)),
        ("hotline_service_level_tiered", ("queue", "general"), (1, 1)),
        ("hotline_service_level_tiered", ("brand", "gotone"), (1, 2)),
        ("hotline_service_level_tiered", ("brand", "mzone"), (1, 2)),
        ("hotline_service_level_tiered", ("brand", "easyown"), (2, 3)),
        ("hotline_service_level_tiered", ("brand", "unknown"), (0, 1)),
        ("hotline_asa_seconds", ("brand", "easyown"), (40.5, 2)),
        ("hotline_fcr", ("brand", "easyown"), (1, 2)),
    ],
)
def test_segments(hotline: DbtBuild, kpi_id: str, segment: tuple, expected: tuple) -> None:
    assert part(hotline, kpi_id, MONDAY, segment) == expected


def test_ivr_rate_has_no_segments(hotline: DbtBuild) -> None:
    rows = hotline.query(
        "SELECT DISTINCT segment_type FROM intermediate.int_kpi_parts__hotline "
        "WHERE kpi_id = 'hotline_ivr_self_service_rate'"
    )
    assert rows == [("all",)]


def test_within_15s_is_exact_to_the_millisecond(hotline: DbtBuild) -> None:
    within = facts(hotline, "within_15s")
    assert within["c01"] is True  # exactly 15 s
    assert within["c02"] is False  # 16 s
    assert within["c10"] is False  # 15.5 s


def test_tier_thresholds(hotline: DbtBuild) -> None:
    assert facts(hotline, "tier_threshold_seconds") == {
        **dict.fromkeys(["c01", "c05", "c11", "c15", "c21"], 20),  # gotone
        **dict.fromkeys(["c02", "c07", "c13", "c16", "c17"], 20),  # VIP
        **dict.fromkeys(["c03", "c06", "c09", "c10", "c12", "c18"], 30),  # others
        **dict.fromkeys(["c04", "c08", "c14"], 30),  # not loaded
    }
    tiered = facts(hotline, "within_tiered")
    assert (tiered["c02"], tiered["c03"], tiered["c04"], tiered["c05"]) == (
        True,
        True,
        False,
        False,
    )


def test_brand_unknown_when_customer_not_loaded(hotline: DbtBuild) -> None:
    brands = facts(hotline, "brand")
    assert (brands["c01"], brands["c02"], brands["c03"], brands["c04"]) == (
        "gotone",
        "mzone",
        "easyown",
        "unknown",
    )


def test_fcr_repeat_window_and_deadline(hotline: DbtBuild) -> None:
    eligible = facts(hotline, "fcr_eligible")
    resolved = facts(hotline, "fcr_resolved")
    # Repeat at exactly +24 h (c11 after c05) counts; at +24 h 1 s (c12 after c10) not.
    assert (eligible["c05"], resolved["c05"]) == (True, False)
    assert (eligible["c10"], resolved["c10"]) == (True, True)
    # An abandoned later call is no repeat.
    assert (eligible["c02"], resolved["c02"]) == (True, True)
    # Deadline: 25 h old assessed; exactly 24 h old and 23 h old not; a repeat assesses early.
    assert (eligible["c15"], resolved["c15"]) == (True, True)
    assert eligible["c18"] is False
    assert eligible["c14"] is False
    assert (eligible["c16"], resolved["c16"]) == (True, False)
    assert eligible["c17"] is False
    # Not an answered agent request: never assessed.
    assert eligible["c06"] is False
    assert eligible["c07"] is False


def test_calls_not_ended_by_as_of_are_absent(hotline: DbtBuild) -> None:
    ids = set(facts(hotline, "call_id"))
    assert {"c19", "c20", "c22"}.isdisjoint(ids)
    assert "c21" in ids  # ended exactly at as_of
    assert part(hotline, "hotline_ivr_self_service_rate", "2025-03-10") == (1, 3)


def test_handle_seconds(hotline: DbtBuild) -> None:
    handle = facts(hotline, "handle_seconds")
    assert (handle["c01"], handle["c02"], handle["c04"], handle["c06"]) == (330, 120, 120, None)


def test_later_days(hotline: DbtBuild) -> None:
    assert part(hotline, "hotline_fcr", "2025-03-04") == (2, 2)
    assert part(hotline, "hotline_fcr", "2025-03-09") == (1, 1)
    assert part(hotline, "hotline_fcr", "2025-03-10") == (0, 1)
    assert part(hotline, "hotline_aht_seconds", "2025-03-09") == (880, 3)


def test_no_rows_after_as_of_and_only_non_zero_denominators(hotline: DbtBuild) -> None:
    assert hotline.query(
        "SELECT count(*) FROM intermediate.int_kpi_parts__hotline "
        "WHERE period_start > DATE '2025-03-10' OR denominator = 0"
    ) == [(0,)]


def test_kpi_values_roll_up_by_summing(hotline: DbtBuild) -> None:
    # Week of 2025-03-03 holds 03-03 (3/6) and 03-04 (2/2); 03-09 (Sunday) too (1/1).
    assert hotline.kpi("hotline_fcr", "week", MONDAY)[:2] == (6, 9)
    assert hotline.kpi("hotline_fcr", "month", "2025-03-01")[:2] == (6, 10)
    assert hotline.kpi("hotline_answer_15s", "day", MONDAY) == (1, 8, 0.125)


def test_incremental_run_matches_a_full_rebuild(
    hotline: DbtBuild, dbt_build_factory: Callable[[str], DbtBuild]
) -> None:
    """Later as_of plus a late-arriving repeat, then as_of back: the incremental facts and
    KPI parts equal a fresh build each time."""
    later = "2025-03-10 13:30:00"
    # C calls again 2025-03-03 23:00, a week before the newest call: c10 is no longer
    # resolved. c31, the day after, is the only call of its day once as_of reaches it.
    late = [
        agent_call("c30", C, "2025-03-03 23:00:00", "billing", 5),
        agent_call("c31", A, "2025-03-11 08:00:00", "billing", 5),
    ]
    models = ("int_as_of", "int_hotline_calls__facts", "int_kpi_parts__hotline")
    incremental = dbt_build_factory("hotline_incremental")
    load_rows(incremental.database, ROWS, LOADED_AT, "hotline_calls.csv")
    incremental.run("run", "--select", "+int_kpi_parts__hotline", as_of=AS_OF)
    load_rows(incremental.database, {"hotline_calls": late}, datetime(2025, 3, 11), "late.csv")

    full = dbt_build_factory("hotline_full")
    load_rows(full.database, ROWS, LOADED_AT, "hotline_calls.csv")
    load_rows(full.database, {"hotline_calls": late}, datetime(2025, 3, 11), "late.csv")
    tables = ("intermediate.int_hotline_calls__facts", "intermediate.int_kpi_parts__hotline")
    for as_of in (later, "2025-03-11 12:00:00", AS_OF):
        incremental.run("run", "--select", *models, as_of=as_of)
        full.run("run", "--select", "+int_kpi_parts__hotline", "--full-refresh", as_of=as_of)
        for table in tables:
            assert incremental.rows(table) == full.rows(table), (as_of, table)
        if as_of == later:
            resolved = facts(incremental, "fcr_resolved")
            # c14 now has its repeat c19 (ended by 13:30); c18's deadline passed; c10
            # repeated.
            assert (resolved["c10"], resolved["c14"], resolved["c18"]) == (False, False, True)
        days = incremental.query(
            "SELECT DISTINCT CAST(period_start AS VARCHAR) FROM intermediate.int_kpi_parts__hotline"
        )
        assert (("2025-03-11",) in days) == (as_of == "2025-03-11 12:00:00")

    # Moving as_of back drops the calls that had not ended by then.
    assert {"c19", "c22", "c31"}.isdisjoint(facts(incremental, "call_id"))


def test_a_call_moved_to_a_later_day_leaves_its_old_day(
    dbt_build_factory: Callable[[str], DbtBuild],
) -> None:
    """A corrected delivery moves c03 from 03-03 to 03-09, after the cutoff a delivery of
    03-09 alone would give: the incremental run rebuilds 03-03 without it, as a full
    refresh does."""
    build = dbt_build_factory("hotline_moved")
    load_rows(build.database, ROWS, LOADED_AT, "hotline_calls.csv")
    build.run("run", "--select", "+int_hotline_calls__facts", as_of=AS_OF)
    moved = [agent_call("c03", C, "2025-03-09 10:00:00", "billing", 25, talk=180, wrapup=15)]
    with duckdb.connect(str(build.database)) as con:
        con.execute("DELETE FROM raw.hotline_calls WHERE call_id = 'c03'")
    load_rows(build.database, {"hotline_calls": moved}, datetime(2025, 3, 11), "fixed.csv")
    build.run("run", "--select", "int_as_of", "int_hotline_calls__facts", as_of=AS_OF)
    table = "intermediate.int_hotline_calls__facts"
    assert build.query(f"SELECT call_date FROM {table} WHERE call_id = 'c03'") == [
        (date(2025, 3, 9),)
    ]
    incremental = build.rows(table)
    build.run("run", "--select", "int_hotline_calls__facts", "--full-refresh", as_of=AS_OF)
    assert build.rows(table) == incremental


def test_grain_test_counts_the_keys_a_build_wrote_against_every_row(
    dbt_build_factory: Callable[[str], DbtBuild],
) -> None:
    """unique_combination with a stamp column (the call_id grain of the facts): a key the
    build wrote that an older row also holds is a duplicate; run on its own, the test
    checks the keys of the latest build."""
    build = dbt_build_factory("hotline_grain")
    load_rows(build.database, ROWS, LOADED_AT, "hotline_calls.csv")
    build.run("run", "--select", "+int_hotline_calls__facts", as_of=AS_OF)
    late = [agent_call("c30", C, "2025-03-03 23:00:00", "billing", 5)]
    load_rows(build.database, {"hotline_calls": late}, datetime(2025, 3, 11), "late.csv")
    build.run("run", "--select", "int_as_of", "int_hotline_calls__facts", as_of=AS_OF)
    table = "intermediate.int_hotline_calls__facts"
    rebuilt = build.query(
        f"SELECT DISTINCT CAST(call_date AS VARCHAR) FROM {table} "
        f"WHERE _built_at = (SELECT max(_built_at) FROM {table})"
    )
    # c30's day was rebuilt (and the days whose FCR windows it or as_of close), 03-05 not.
    assert ("2025-03-03",) in rebuilt
    assert ("2025-03-05",) not in rebuilt
    grain = ("int_hotline_calls__facts,test_name:unique_combination",)
    assert build.attempt("test", "--select", *grain, as_of=AS_OF).returncode == 0

    def leave_behind(day: str) -> None:
        """A copy of c30 on ``day`` with the first build's stamp, as a run that failed to
        remove a moved call would leave it."""
        with duckdb.connect(str(build.database)) as con:
            con.execute(f"DELETE FROM {table} WHERE call_id = 'c30' AND call_date <> '2025-03-03'")
            con.execute(
                f"INSERT INTO {table} SELECT * REPLACE ("
                f"(SELECT min(_built_at) FROM {table}) AS _built_at, "
                f"CAST('{day}' AS DATE) AS call_date) FROM {table} WHERE call_id = 'c30'"
            )

    failure = "Failure in test unique_combination_int_hotline_calls__facts_call_id"
    leave_behind("2025-03-05")
    found = build.attempt("test", "--select", *grain, as_of=AS_OF)
    assert (found.returncode, failure in found.stdout) == (1, True)
    assert "Got 1 result" in found.stdout

    # In a build, the keys that build wrote. c30 delivered again rebuilds 03-02 onwards;
    # C twice in the subscribers fans out the join that reads brand and VIP, so the
    # rewritten calls of C come twice.
    with duckdb.connect(str(build.database)) as con:
        con.execute(f"DELETE FROM {table} WHERE call_date = '2025-03-05'")
        con.execute("DELETE FROM raw.hotline_calls WHERE call_id = 'c30'")
        con.execute(
            "INSERT INTO raw.subscribers SELECT * FROM raw.subscribers WHERE customer_key = ?",
            [C["customer_key"]],
        )
    load_rows(build.database, {"hotline_calls": late}, datetime(2025, 3, 12), "again.csv")
    found = build.attempt("build", "--select", "int_hotline_calls__facts", as_of=AS_OF)
    assert (found.returncode, failure in found.stdout) == (1, True)
    assert (
        build.query(f"SELECT call_date FROM {table} WHERE call_id = 'c30'")
        == [(date(2025, 3, 3),)] * 2
    )
