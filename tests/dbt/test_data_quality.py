"""marts.data_quality_orphans and marts.data_quality_freshness on hand-made rows.

One hall (H1), one staff member (S1), one plan (P1), one complaint (K1) are loaded; every
other reference below points at something that is not, and must show as an orphan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from dbt_harness import DbtBuild, load_rows

AS_OF = "2025-03-10 12:00:00"
LOADED_AT = datetime(2025, 3, 10, 13, 0)
WHO = {"customer_key": "k1", "msisdn_masked": "138****0001"}


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


ROWS = {
    "halls": [
        {"hall_id": "H1", "hall_name": "九州路营业厅", "district": "中区", "hall_type": "standard"}
    ],
    "staff": [
        {
            "staff_id": "S1",
            "staff_name": "张三",
            "team": "hall",
            "hall_id": "H1",
            "hired_on": date(2020, 1, 1),
        },
        {
            "staff_id": "S2",
            "staff_name": "李四",
            "team": "hall",
            "hall_id": "H9",
            "hired_on": date(2020, 1, 1),
        },
    ],
    "plans": [
        {
            "plan_code": "P1",
            "plan_name": "P1",
            "monthly_fee": 58,
            "included_voice_minutes": 0,
            "included_sms": 0,
            "included_data_mb": 0,
            "voice_overage_per_minute": 0,
            "sms_overage_each": 0,
            "data_overage_per_mb": 0,
            "available_from": date(2020, 1, 1),
        }
    ],
    "subscribers": [
        {
            **WHO,
            "brand": "mzone",
            "vip": False,
            "plan_code": "P_X",
            "home_hall_id": "H8",
            "activated_on": date(2020, 1, 1),
        },
    ],
    "complaints": [
        {
            "complaint_id": "K1",
            "received_at": ts("2025-03-09 10:00:00"),
            "channel": "hall",
            **WHO,
            "category": "billing",
            "urgency": "normal",
            "first_owner_staff_id": "S9",
            "hall_id": "H7",
        }
    ],
    "complaint_events": [
        {
            "event_id": "E1",
            "complaint_id": "K1",
            "event_at": ts("2025-03-09 11:00:00"),
            "event_type": "first_reply",
        },
        {
            "event_id": "E2",
            "complaint_id": "K404",
            "event_at": ts("2025-03-09 12:00:00"),
            "event_type": "closed",
        },
    ],
    "sms_ratings": [
        {
            "invitation_id": "R1",
            "channel": "hall",
            "hall_id": "H6",
            "staff_id": "S77",
            "service_type": "缴费",
            **WHO,
            "served_at": ts("2025-03-09 09:00:00"),
            "invited_at": ts("2025-03-09 09:05:00"),
            "delivery_status": "delivered",
        }
    ],
    "hotline_calls": [
        {
            "call_id": "C1",
            **WHO,
            "call_start_at": ts("2025-03-10 09:00:00"),
            "ivr_outcome": "agent_request",
            "queue": "billing",
            "queued_at": ts("2025-03-10 09:00:10"),
            "answered_at": ts("2025-03-10 09:00:20"),
            "agent_id": "S99",
            "call_end_at": ts("2025-03-10 09:05:00"),
            "complaint_id": "K405",
        }
    ],
    "agent_shifts": [
        {
            "shift_id": "SH1",
            "staff_id": "S98",
            "shift_start_at": ts("2025-03-10 08:00:00"),
            "shift_end_at": ts("2025-03-10 12:00:00"),
        }
    ],
    "bill_items": [
        {
            "bill_month": date(2025, 2, 1),
            **WHO,
            "item_code": "monthly_plan",
            "amount": 58,
            "plan_code": "P_GONE",
        },
        # Two rows missing the same plan: each is listed.
        {
            "bill_month": date(2025, 2, 1),
            **WHO,
            "item_code": "data_service",
            "amount": 5,
            "plan_code": "P_GONE",
        },
    ],
    "billing_disputes": [
        {
            "dispute_id": "D1",
            **WHO,
            "complaint_id": "K406",
            "raised_at": ts("2025-03-01 10:00:00"),
            "bill_month": date(2025, 2, 1),
            "item_code": "monthly_plan",
            "claimed_amount": 5,
        }
    ],
}


@pytest.fixture(scope="module")
def quality(dbt_build_factory: Callable[[str], DbtBuild]) -> DbtBuild:
    build = dbt_build_factory("data_quality")
    load_rows(build.database, ROWS, LOADED_AT, "dq.csv")
    build.run("build", "--select", "+marts.data_quality", as_of=AS_OF)
    return build


def test_every_orphan_is_listed_once(quality: DbtBuild) -> None:
    rows = quality.query(
        "SELECT source_table, record_key, reference_column, referenced_table, missing_reference "
        "FROM marts.data_quality_orphans"
    )
    assert sorted(rows) == sorted(
        [
            ("complaint_events", "E2", "complaint_id", "complaints", "K404"),
            ("complaints", "K1", "first_owner_staff_id", "staff", "S9"),
            ("complaints", "K1", "hall_id", "halls", "H7"),
            ("sms_ratings", "R1", "staff_id", "staff", "S77"),
            ("sms_ratings", "R1", "hall_id", "halls", "H6"),
            ("hotline_calls", "C1", "complaint_id", "complaints", "K405"),
            ("hotline_calls", "C1", "agent_id", "staff", "S99"),
            ("agent_shifts", "SH1", "staff_id", "staff", "S98"),
            ("staff", "S2", "hall_id", "halls", "H9"),
            ("subscribers", "k1", "home_hall_id", "halls", "H8"),
            ("subscribers", "k1", "plan_code", "plans", "P_X"),
            ("bill_items", "2025-02-01|k1|monthly_plan", "plan_code", "plans", "P_GONE"),
            ("bill_items", "2025-02-01|k1|data_service", "plan_code", "plans", "P_GONE"),
            ("billing_disputes", "D1", "complaint_id", "complaints", "K406"),
        ]
    )


def test_freshness(quality: DbtBuild) -> None:
    rows = {
        row[0]: row[1:]
        for row in quality.query(
            "SELECT source_table, event_column, row_count, latest_event_at, latest_loaded_at, "
            "hours_behind_as_of FROM marts.data_quality_freshness"
        )
    }
    assert len(rows) == 16
    assert rows["hotline_calls"] == ("call_start_at", 1, ts("2025-03-10 09:00:00"), LOADED_AT, 3.0)
    assert rows["complaint_events"][1:3] == (2, ts("2025-03-09 12:00:00"))
    assert rows["complaint_events"][4] == 24.0
    # Monthly tables are dated by the first day of their latest month.
    assert rows["bill_items"][2] == ts("2025-02-01 00:00:00")
    # Snapshots have no event time; an empty table has no rows and no times.
    assert rows["halls"] == (None, 1, None, LOADED_AT, None)
    assert rows["payments"] == ("paid_at", 0, None, None, None)
