"""marts.staff_evaluation_monthly (kpis.md, "Staff evaluation table") on the fixture.

Wilson 95 % lower bound, z = 1.96, by hand: (p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
  S2, 36 of 40 (p = 0.9): (0.9 + 0.04802 − 1.96·√0.00285025) / 1.09604 = 0.769479
  S4, 30 of 30 (p = 1):   (1 + 0.0640267 − 1.96·0.0326667) / 1.1280533 = 0.886483
  S1, 29 of 29 (p = 1):   1 / (1 + 3.8416/29)                             = 0.883026
"""

from __future__ import annotations

import pytest
from dbt_harness import DbtBuild

COLUMNS = (
    "staff_name, hall_name, team, invitations, valid_replies, code_1_replies, code_2_replies, "
    "code_3_replies, satisfaction_rate, satisfaction_wilson_lower, rank_in_team, "
    "previous_month_satisfaction_rate, complaints_first_owned, hotline_answered_calls, "
    "hotline_fcr_assessed, hotline_fcr_resolved, hotline_fcr_rate"
)


def _rows(build: DbtBuild, month: str) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in build.query(
            f"SELECT staff_id, {COLUMNS} FROM marts.staff_evaluation_monthly "
            "WHERE month = CAST(? AS DATE)",
            (month,),
        )
    }


def test_february_ranks_by_wilson_bound(core_build: DbtBuild) -> None:
    rows = _rows(core_build, "2025-02-01")
    # S77 (not loaded) is an orphan and left out.
    assert set(rows) == {"S1", "S2", "S4"}
    s2, s4, s1 = rows["S2"], rows["S4"], rows["S1"]
    assert s2[:8] == ("李四", "九州路营业厅", "hall", 40, 40, 36, 0, 4)
    assert s2[8] == pytest.approx(0.9)
    assert s2[9] == pytest.approx(0.769479, abs=1e-6)
    assert s4[9] == pytest.approx(0.886483, abs=1e-6)
    assert (s4[10], s2[10]) == (1, 2)
    # 29 valid replies: too few to rank, although its bound beats S2's.
    assert s1[9] == pytest.approx(0.883026, abs=1e-6)
    assert s1[10] is None


def test_march_hall_member(core_build: DbtBuild) -> None:
    s1 = _rows(core_build, "2025-03-01")["S1"]
    assert s1[3:8] == (24, 12, 4, 4, 4)
    assert s1[8] == pytest.approx(1 / 3)
    assert s1[10] is None
    # Last month's rate: 29 of 29. First owner of K01 and K02. Not a hotline agent.
    assert s1[11] == pytest.approx(1.0)
    assert s1[12:] == (2, None, None, None, None)


def test_march_hotline_agent(core_build: DbtBuild) -> None:
    s3 = _rows(core_build, "2025-03-01")["S3"]
    # R21 (no reply) and R23 (reply after as_of) count as invitations, not as replies.
    assert s3[:8] == ("王五", None, "hotline", 3, 1, 1, 0, 0)
    assert s3[11] is None
    # Calls C1..C3 answered; C1 repeated within 24 h by C2, C3's window still open.
    assert s3[13:] == (3, 2, 1, 0.5)
