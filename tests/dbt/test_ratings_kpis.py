"""SMS rating KPIs and reply parsing (kpis.md, "SMS ratings") on the hand-made fixture."""

from __future__ import annotations

import unicodedata

import pytest
from dbt_core_fixture import FULL_WIDTH, PARSE_CASES
from dbt_harness import DbtBuild


def test_every_parsing_rule(core_build: DbtBuild) -> None:
    parsed = {
        r[0]: (r[1], r[2])
        for r in core_build.query(
            "SELECT invitation_id, reply_status, reply_code FROM staging.stg_ratings__sms_ratings"
        )
    }
    for invitation_id, text, _, status, code in PARSE_CASES:
        assert parsed[invitation_id] == (status, code), (invitation_id, text)


def test_normalisation_matches_nfkc(core_build: DbtBuild) -> None:
    [(normalized,)] = core_build.query(
        "SELECT reply_normalized FROM staging.stg_ratings__sms_ratings WHERE invitation_id = 'R31'"
    )
    expected = "".join(unicodedata.normalize("NFKC", FULL_WIDTH).split()).upper()
    # The full-width apostrophe and backslash are kept (see macro normalize_reply_text).
    expected = expected.replace("'", "＇").replace("\\", "＼")
    assert normalized == expected


@pytest.mark.parametrize(
    ("kpi_id", "day", "segment", "expected"),
    [
        # 24 delivered parsing cases, all past their 48 h: 12 valid; R13 (failed) left out.
        ("rating_response_rate", "2025-03-03", ("all", "all"), (12, 24)),
        ("rating_satisfaction", "2025-03-03", ("all", "all"), (4, 12)),
        ("rating_dissatisfaction", "2025-03-03", ("all", "all"), (4, 12)),
        ("rating_satisfaction", "2025-03-03", ("hall", "H1"), (4, 12)),
        ("rating_satisfaction", "2025-03-03", ("service_type", "缴费"), (4, 12)),
        # 2025-03-09: R21 (no reply, inside 48 h) and R23 (reply after as_of) not assessed;
        # R22 code 1 (hotline), R25 code 3 (online hall, no hall: 'unknown').
        ("rating_response_rate", "2025-03-09", ("all", "all"), (2, 2)),
        ("rating_satisfaction", "2025-03-09", ("all", "all"), (1, 2)),
        ("rating_dissatisfaction", "2025-03-09", ("channel", "online_hall"), (1, 1)),
        ("rating_satisfaction", "2025-03-09", ("channel", "hotline"), (1, 1)),
        ("rating_response_rate", "2025-03-09", ("hall", "unknown"), (2, 2)),
        ("hotline_satisfaction", "2025-03-09", ("all", "all"), (1, 1)),
        # February bulk: 100 valid replies, 96 code 1, 4 code 3.
        ("rating_satisfaction", "2025-02-12", ("all", "all"), (96, 100)),
        ("rating_dissatisfaction", "2025-02-12", ("all", "all"), (4, 100)),
    ],
)
def test_rating_kpis_by_day(
    core_build: DbtBuild, kpi_id: str, day: str, segment: tuple, expected: tuple
) -> None:
    assert core_build.kpi(kpi_id, "day", day, *segment)[:2] == expected


def test_rating_roll_ups(core_build: DbtBuild) -> None:
    assert core_build.kpi("rating_response_rate", "week", "2025-03-03")[:2] == (14, 26)
    assert core_build.kpi("rating_response_rate", "month", "2025-03-01")[:2] == (14, 26)
    assert core_build.kpi("rating_satisfaction", "month", "2025-03-01")[:2] == (5, 14)
    assert core_build.kpi("rating_satisfaction", "month", "2025-02-01") == (96, 100, 0.96)


def test_hotline_satisfaction_has_no_segments(core_build: DbtBuild) -> None:
    assert core_build.query(
        "SELECT DISTINCT segment_type FROM marts.kpi_values WHERE kpi_id = 'hotline_satisfaction'"
    ) == [("all",)]


def test_targets_and_direction(core_build: DbtBuild) -> None:
    # 0.96 >= 0.95 (higher is better); 0.04 > 0.02 (lower is better): missed.
    rows = core_build.query(
        "SELECT kpi_id, target, meets_target FROM marts.kpi_values WHERE grain = 'day' "
        "AND period_start = DATE '2025-02-12' AND segment_type = 'all' AND kpi_id LIKE 'rating%' "
        "ORDER BY kpi_id"
    )
    assert rows == [
        ("rating_dissatisfaction", 0.02, False),
        ("rating_response_rate", None, None),
        ("rating_satisfaction", 0.95, True),
    ]
