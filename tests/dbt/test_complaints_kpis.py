"""Complaint KPIs (kpis.md, "Complaints") on the hand-made fixture, at 2025-03-10 12:00.

Every expected (numerator, denominator) is worked out from dbt_core_fixture.py.
"""

from __future__ import annotations

import pytest
from dbt_harness import DbtBuild

FIRST_REPLY = "complaint_first_reply_48h"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # K01 replied at exactly 48:00:00 (on time), K02 at 48:00:01 (late).
        ("2025-03-03", (1, 2)),
        # K03's first reply is its `resolved` event.
        ("2025-03-04", (1, 1)),
        # K05 is still open past its deadline: assessed, late.
        ("2025-03-07", (0, 1)),
        # K14, K15 past their deadline at 08:00; K17 on time; K19 still inside its 48 h.
        ("2025-03-08", (1, 3)),
        # K07 (first reply = close after 15 days) and K08: late.
        ("2025-02-01", (0, 2)),
    ],
)
def test_first_reply_48h_by_day(core_build: DbtBuild, day: str, expected: tuple) -> None:
    assert core_build.kpi(FIRST_REPLY, "day", day)[:2] == expected


def test_first_reply_open_inside_deadline_is_not_assessed(core_build: DbtBuild) -> None:
    # K04 (24 h left) and K06 (its reply comes after as_of) are both still open on time.
    assert core_build.kpi(FIRST_REPLY, "day", "2025-03-09") is None


def test_first_reply_roll_ups_sum_the_days(core_build: DbtBuild) -> None:
    assert core_build.kpi(FIRST_REPLY, "week", "2025-03-03")[:2] == (3, 7)
    # March adds K13 (2025-03-02, past its deadline without reply).
    assert core_build.kpi(FIRST_REPLY, "month", "2025-03-01") == (3, 8, 0.375)


def test_first_reply_segments(core_build: DbtBuild) -> None:
    assert core_build.kpi(FIRST_REPLY, "day", "2025-03-03", "channel", "hotline_10086")[:2] == (
        1,
        1,
    )
    assert core_build.kpi(FIRST_REPLY, "day", "2025-03-03", "channel", "hall")[:2] == (0, 1)
    assert core_build.kpi(FIRST_REPLY, "day", "2025-03-03", "category", "billing")[:2] == (1, 2)


def test_nothing_after_as_of(core_build: DbtBuild) -> None:
    # K18 is received on 2025-03-11, after as_of: no period after the as_of date exists.
    rows = core_build.query(
        "SELECT count(*) FROM marts.kpi_values WHERE period_start > DATE '2025-03-10'"
    )
    assert rows == [(0,)]
    assert core_build.query(
        "SELECT count(*) FROM intermediate.int_complaints__timeline WHERE complaint_id = 'K18'"
    ) == [(0,)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # K07 closed at exactly 15 days, K08 at 15 days + 1 s.
        ("2025-02-01", (1, 2)),
        # K09: no close, past its 15 days.
        ("2025-02-20", (0, 1)),
        # K01 closed; K02 not closed but inside its 15 days.
        ("2025-03-03", (1, 1)),
    ],
)
def test_resolved_15d(core_build: DbtBuild, day: str, expected: tuple) -> None:
    assert core_build.kpi("complaint_resolved_15d", "day", day)[:2] == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # K03: the unreachable call-back is skipped, the next one (satisfied) counts.
        ("2025-03-06", (1, 1)),
        ("2025-03-07", (1, 1)),
        # K02: dissatisfied.
        ("2025-03-08", (0, 1)),
        # K08: fairly satisfied counts as satisfied.
        ("2025-02-23", (1, 1)),
    ],
)
def test_complaint_satisfaction(core_build: DbtBuild, day: str, expected: tuple) -> None:
    assert core_build.kpi("complaint_satisfaction", "day", day)[:2] == expected


def test_complaint_satisfaction_month(core_build: DbtBuild) -> None:
    assert core_build.kpi("complaint_satisfaction", "month", "2025-03-01")[:2] == (2, 3)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # K16: call-back 7 days + 1 s after its close: assessed, not within.
        ("2025-02-11", (0, 1)),
        # K07: no call-back, 7 days over; K08: call-back at exactly 7 days.
        ("2025-02-16", (1, 2)),
        # K03: the unreachable call-back counts (any outcome).
        ("2025-03-05", (1, 1)),
        ("2025-03-06", (1, 1)),
    ],
)
def test_callback_rate(core_build: DbtBuild, day: str, expected: tuple) -> None:
    assert core_build.kpi("complaint_callback_rate", "day", day)[:2] == expected


def test_callback_rate_waits_for_the_deadline(core_build: DbtBuild) -> None:
    # K17 closed 2025-03-09 09:00, no call-back yet, 7 days not over.
    assert core_build.kpi("complaint_callback_rate", "day", "2025-03-09") is None


def test_escalation_and_reopen(core_build: DbtBuild) -> None:
    assert core_build.kpi("complaint_escalation_rate", "day", "2025-03-04")[:2] == (1, 1)
    assert core_build.kpi("complaint_escalation_rate", "day", "2025-03-08")[:2] == (0, 4)
    assert core_build.kpi("complaint_reopen_rate", "day", "2025-03-05")[:2] == (1, 1)
    assert core_build.kpi("complaint_reopen_rate", "day", "2025-03-06")[:2] == (0, 1)
    assert core_build.kpi("complaint_reopen_rate", "day", "2025-03-09")[:2] == (0, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-01-01", (0, 1)),
        # K12: exactly 30 days after K11.
        ("2025-01-31", (1, 1)),
        # K13: 30 days + 1 s after K12.
        ("2025-03-02", (0, 1)),
        # K08: K07 one hour earlier.
        ("2025-02-01", (1, 2)),
        ("2025-03-07", (1, 1)),
        # K14 and K15 at the same instant: neither is strictly earlier. K17, K19 new.
        ("2025-03-08", (0, 4)),
        # K06 repeats K02 (c02 billing); K04 is another category.
        ("2025-03-09", (1, 2)),
    ],
)
def test_repeat_rate(core_build: DbtBuild, day: str, expected: tuple) -> None:
    assert core_build.kpi("complaint_repeat_rate", "day", day)[:2] == expected


@pytest.mark.parametrize(
    ("grain", "period", "segment", "expected"),
    [
        # 2025-01-01: K11; active c01, c02.
        ("day", "2025-01-01", ("all", "all"), (1, 0.0002)),
        # A day without complaints still has its row; c02 left on 2025-03-05.
        ("day", "2025-03-05", ("all", "all"), (0, 0.0003)),
        ("day", "2025-03-05", ("channel", "regulator"), (0, 0.0003)),
        # Week of 2025-03-03: 10 complaints; stock on Monday 03-03: c01 c02 c03 c05.
        ("week", "2025-03-03", ("all", "all"), (10, 0.0004)),
        ("week", "2025-03-10", ("all", "all"), (0, 0.0003)),
        # March: 11 complaints; stock on 03-01: c01 c02 c05 (c04 never active).
        ("month", "2025-03-01", ("all", "all"), (11, 0.0003)),
        ("month", "2025-03-01", ("channel", "online"), (3, 0.0003)),
        ("month", "2025-01-01", ("category", "vas_subscription"), (2, 0.0002)),
    ],
)
def test_complaints_per_10k(
    core_build: DbtBuild, grain: str, period: str, segment: tuple, expected: tuple
) -> None:
    numerator, denominator, value = core_build.kpi("complaints_per_10k", grain, period, *segment)
    assert numerator == expected[0]
    assert denominator == pytest.approx(expected[1])
    assert value == pytest.approx(expected[0] / expected[1])


def test_complaints_per_10k_spans_first_complaint_to_as_of(core_build: DbtBuild) -> None:
    rows = core_build.query(
        "SELECT min(period_start), max(period_start), count(*) FROM marts.kpi_values "
        "WHERE kpi_id = 'complaints_per_10k' AND grain = 'day' AND segment_type = 'all'"
    )
    first, last, days = rows[0]
    assert (str(first), str(last), days) == ("2025-01-01", "2025-03-10", 69)


def test_timeline(core_build: DbtBuild) -> None:
    rows = {
        r[0]: r[1:]
        for r in core_build.query(
            "SELECT complaint_id, status, hours_to_first_reply, escalations, "
            "reopenings_after_close, is_repeat FROM intermediate.int_complaints__timeline"
        )
    }
    assert "K99" not in rows  # the orphan event's complaint is not loaded
    assert rows["K01"] == ("closed", 48.0, 0, 0, False)
    assert rows["K02"][0] == "in_progress"
    assert rows["K02"][1] == pytest.approx(48 + 1 / 3600)
    assert rows["K03"] == ("reopened", 12.0, 1, 1, False)
    assert rows["K06"][:2] == ("awaiting_reply", None)


def test_reply_watchlist(core_build: DbtBuild) -> None:
    rows = {
        r[0]: r[1:]
        for r in core_build.query(
            "SELECT complaint_id, hours_left, is_breached, is_at_risk, msisdn_masked "
            "FROM marts.complaint_reply_watchlist"
        )
    }
    assert set(rows) == {"K04", "K05", "K06", "K09", "K11", "K12", "K13", "K14", "K15", "K19"}
    assert rows["K04"][:3] == (24.0, False, False)
    assert rows["K19"][:3] == (8.0, False, True)
    assert rows["K14"][:3] == (-4.0, True, False)
    assert rows["K19"][3] == "138****0003"
