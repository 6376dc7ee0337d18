"""int_as_of's watermark, and incremental builds that equal a full refresh."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import duckdb
from dbt_core_fixture import AS_OF, LOADED_AT, ROWS
from dbt_harness import DbtBuild, built_rows, load_rows


def test_as_of_defaults_to_the_watermark(dbt_build_factory: Callable[[str], DbtBuild]) -> None:
    build = dbt_build_factory("watermark")
    load_rows(build.database, ROWS, LOADED_AT, "fixture.csv")
    build.run("run", "--select", "+int_as_of", as_of=None)
    # The latest of the four columns: K18, received 2025-03-11 09:00 (after any event,
    # call or invitation).
    assert build.query("SELECT as_of FROM intermediate.int_as_of") == [
        (datetime(2025, 3, 11, 9, 0),)
    ]
    build.run("run", "--select", "int_as_of", as_of="2025-01-02 03:04:05")
    assert build.query("SELECT as_of FROM intermediate.int_as_of") == [
        (datetime(2025, 1, 2, 3, 4, 5),)
    ]


SNAPSHOTS = {
    "kpi_values": (
        "SELECT kpi_id, grain, period_start, segment_type, segment_value, numerator, "
        "denominator, round(value, 9), target, meets_target FROM marts.kpi_values "
        "ORDER BY ALL"
    ),
    "staff_evaluation_monthly": (
        "SELECT month, staff_id, invitations, valid_replies, code_1_replies, code_3_replies, "
        "round(satisfaction_wilson_lower, 9), rank_in_team, hotline_answered_calls, "
        "hotline_fcr_resolved FROM marts.staff_evaluation_monthly ORDER BY ALL"
    ),
    "int_sms_ratings__facts": built_rows("intermediate.int_sms_ratings__facts"),
    "staff_rating_replies": built_rows("marts.staff_rating_replies"),
    "int_kpi_parts__ratings": built_rows("intermediate.int_kpi_parts__ratings"),
}


def _snapshot(build: DbtBuild) -> dict[str, list[tuple]]:
    return {name: build.query(sql) for name, sql in SNAPSHOTS.items()}


def _replies(build: DbtBuild) -> dict[str, tuple]:
    """(reply_status, is_response_assessed) of the invitations whose facts depend on as_of."""
    rows = build.query(
        "SELECT invitation_id, reply_status, is_response_assessed "
        "FROM intermediate.int_sms_ratings__facts WHERE invitation_id IN ('R21', 'R23', 'R24')"
    )
    return {iid: (status, assessed) for iid, status, assessed in rows}


def _rated_staff(build: DbtBuild) -> set[str]:
    """The staff members marts.staff_rating_replies holds ratings of."""
    return {s for (s,) in build.query("SELECT DISTINCT staff_id FROM marts.staff_rating_replies")}


def test_incremental_equals_full_refresh(dbt_build_factory: Callable[[str], DbtBuild]) -> None:
    """Load in two deliveries, the second replacing and removing rows, building after each;
    then move as_of on and back; then change the staff snapshot alone. Each result must
    equal a full refresh over the same raw data at the same as_of."""
    build = dbt_build_factory("incremental")
    cut = datetime(2025, 3, 4)
    early = {
        table: [r for r in rows if r.get("invited_at", cut) < cut]
        if table == "sms_ratings"
        else rows
        for table, rows in ROWS.items()
    }
    late = {"sms_ratings": [r for r in ROWS["sms_ratings"] if r["invited_at"] >= cut]}
    load_rows(build.database, early, datetime(2025, 3, 4, 1, 0), "day1.csv")
    build.run("build", as_of=AS_OF)

    # The second delivery: new days, a corrected R01 (now code 3), R02 and a February
    # invitation withdrawn (a day with no other new rows).
    with duckdb.connect(str(build.database)) as con:
        con.execute("DELETE FROM raw.sms_ratings WHERE invitation_id IN ('R01', 'R02', 'FS1-000')")
    corrected = [
        {**r, "reply_text": "3"} for r in ROWS["sms_ratings"] if r["invitation_id"] == "R01"
    ]
    # R40, invited the day after as_of: its day comes with as_of moving on and must go
    # again, from the facts and from the KPI parts, when as_of moves back.
    r23 = next(r for r in ROWS["sms_ratings"] if r["invitation_id"] == "R23")
    next_day = {
        **r23,
        "invitation_id": "R40",
        "served_at": datetime(2025, 3, 11, 10, 0),
        "invited_at": datetime(2025, 3, 11, 10, 0),
        "reply_text": "1",
        "reply_at": datetime(2025, 3, 11, 10, 5),
    }
    late["sms_ratings"] = late["sms_ratings"] + corrected + [next_day]
    load_rows(build.database, late, datetime(2025, 3, 11, 1, 0), "day2.csv")
    build.run("build", as_of=AS_OF)
    incremental = _snapshot(build)
    assert _replies(build) == {"R21": ("no_reply", False), "R23": ("no_reply", False)}

    # A day later R21's 48 hours are over without a reply, R23's reply of 2025-03-10 13:00
    # has arrived and R24 has been invited; the facts of those days change with as_of alone.
    ratings = (
        "--select",
        "int_as_of",
        "int_sms_ratings__facts",
        "staff_rating_replies",
        "int_kpi_parts__ratings",
    )
    build.run("run", *ratings, as_of="2025-03-11 13:00:00")
    moved_on = (
        SNAPSHOTS["int_sms_ratings__facts"],
        SNAPSHOTS["staff_rating_replies"],
        SNAPSHOTS["int_kpi_parts__ratings"],
    )
    later = [build.query(sql) for sql in moved_on]
    assert build.query(
        "SELECT numerator, denominator FROM intermediate.int_kpi_parts__ratings "
        "WHERE kpi_id = 'rating_satisfaction' AND period_start = DATE '2025-03-11' "
        "AND segment_type = 'all'"
    ) == [(1.0, 1.0)]
    assert _replies(build) == {
        "R21": ("no_reply", True),
        "R23": ("valid", True),
        "R24": ("no_reply", False),
    }
    # R23's reply text shows once its reply is known.
    assert build.query(
        "SELECT reply_text FROM marts.staff_rating_replies WHERE invitation_id = 'R23'"
    ) == [("2",)]
    build.run("run", *ratings, "--full-refresh", as_of="2025-03-11 13:00:00")
    assert [build.query(sql) for sql in moved_on] == later
    # And back: incrementally from that state to the as_of of the first builds.
    build.run("run", *ratings, as_of=AS_OF)
    assert _replies(build) == {"R21": ("no_reply", False), "R23": ("no_reply", False)}
    assert [build.query(sql) for sql in moved_on] == [
        incremental["int_sms_ratings__facts"],
        incremental["staff_rating_replies"],
        incremental["int_kpi_parts__ratings"],
    ]

    build.run("build", "--full-refresh", as_of=AS_OF)
    assert _snapshot(build) == incremental
    # And the corrections took effect: March S1 has 22 invitations (R02 gone), 4 code-3
    # replies became 5 with R01; February S1 lost one of its 29.
    rows = {
        (str(r[0]), r[1]): r[2:6]
        for r in build.query(
            "SELECT month, staff_id, invitations, valid_replies, code_1_replies, "
            "code_3_replies FROM marts.staff_evaluation_monthly WHERE staff_id = 'S1'"
        )
    }
    assert rows[("2025-03-01", "S1")] == (23, 11, 2, 5)
    assert rows[("2025-02-01", "S1")] == (28, 28, 28, 0)

    # The staff snapshot alone changes, no rating is delivered again: S77, rated in
    # February but not loaded so far, joins; S4 leaves. Their February day (kept by S1 and
    # S2) gains S77's rating and loses S4's.
    assert _rated_staff(build) == {"S1", "S2", "S3", "S4"}
    with duckdb.connect(str(build.database)) as con:
        con.execute("DELETE FROM raw.staff WHERE staff_id = 'S4'")
    joining = {"staff_id": "S77", "staff_name": "孙七", "team": "hall", "hall_id": "H1"}
    load_rows(build.database, {"staff": [joining]}, datetime(2025, 3, 12, 1, 0), "staff.csv")
    replies = ("--select", "staff_rating_replies")
    build.run("run", *replies, as_of=AS_OF)
    assert _rated_staff(build) == {"S1", "S2", "S3", "S77"}
    changed = build.query(SNAPSHOTS["staff_rating_replies"])
    build.run("run", *replies, "--full-refresh", as_of=AS_OF)
    assert build.query(SNAPSHOTS["staff_rating_replies"]) == changed
