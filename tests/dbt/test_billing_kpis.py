"""Billing KPIs, the tariff guide and the compliance lists (kpis.md, "Billing and service
commitments") on hand-made rows, evaluated at 2025-03-20 12:00. The comment on each row
says what it tests; every expected number is worked out by hand from them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb
import pytest
from dbt_harness import DbtBuild, load_rows

from tests.conftest import PII_KEY

AS_OF = "2025-03-20 12:00:00"
LOADED_AT = datetime(2025, 3, 20, 12, 30)
PHONES = [f"1370000000{n}" for n in range(1, 6)]


def phone(msisdn: str) -> dict[str, str]:
    """The stored form of a phone number, as ingestion writes it."""
    key = hmac.new(PII_KEY.encode(), msisdn.encode(), hashlib.sha256).hexdigest()
    return {"customer_key": key, "msisdn_masked": f"{msisdn[:3]}****{msisdn[-4:]}"}


X1, X2, X3, X4, X5 = (phone(m) for m in PHONES)
FEB, MAR, APR = date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)


def ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def money(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def plan(code: str, fee: str, allowances: tuple, prices: tuple, **available: date) -> dict:
    voice, sms, data = allowances
    per_minute, per_sms, per_mb = prices
    return {
        "plan_code": code,
        "plan_name": code,
        "monthly_fee": money(fee),
        "included_voice_minutes": voice,
        "included_sms": sms,
        "included_data_mb": data,
        "voice_overage_per_minute": money(per_minute),
        "sms_overage_each": money(per_sms),
        "data_overage_per_mb": money(per_mb),
        "available_from": available.get("available_from", date(2020, 1, 1)),
        "available_to": available.get("available_to"),
    }


PLANS = [
    plan("P58", "58.00", (200, 100, 5120), ("0.19", "0.10", "0.29")),
    plan("P18", "18.00", (50, 0, 500), ("0.25", "0.10", "0.03")),
    # Withdrawn before February, new from March: neither is a choice in February.
    plan(
        "P38_OLD",
        "38.00",
        (100, 50, 1024),
        ("0.20", "0.10", "0.02"),
        available_to=date(2024, 12, 31),
    ),
    plan("P88_NEW", "88.00", (1000, 1000, 10240), ("0.10", "0.10", "0.10"), available_from=MAR),
    plan("P_BIG", "198.00", (3000, 1000, 51200), ("0.10", "0.10", "0.01")),
    plan("P_186", "186.00", (3000, 1000, 40960), ("0.10", "0.10", "0.01")),
    plan("P100", "100.00", (1000, 1000, 10240), ("1.00", "1.00", "1.00")),
    plan("P90", "90.00", (1000, 1000, 10240), ("1.00", "1.00", "1.00")),
]

SUBSCRIBERS = [
    {**who, "brand": "mzone", "vip": False, "plan_code": "P58", "activated_on": date(2020, 1, 1)}
    for who in (X1, X2, X3, X4, X5)
]


def bill(month: date, who: dict, item: str, plan_code: str) -> dict:
    return {
        "bill_month": month,
        **who,
        "item_code": item,
        "amount": money("10.00"),
        "plan_code": plan_code,
    }


BILL_ITEMS = [
    bill(FEB, X1, "monthly_plan", "P58"),
    bill(FEB, X1, "voice_call", "P58"),
    bill(FEB, X1, "sp_sms", "P58"),
    bill(FEB, X2, "monthly_plan", "P18"),
    bill(FEB, X2, "voice_call", "P18"),
    bill(FEB, X3, "monthly_plan", "P58"),
    bill(FEB, X3, "voice_call", "P58"),
    bill(FEB, X3, "sp_sms", "P58"),
    bill(FEB, X4, "monthly_plan", "P_BIG"),
    bill(FEB, X5, "monthly_plan", "P100"),
    bill(MAR, X1, "monthly_plan", "P58"),
    bill(MAR, X1, "voice_call", "P58"),
    bill(MAR, X2, "monthly_plan", "P18"),
    bill(MAR, X2, "voice_call", "P18"),
    # A plan the catalogue does not know: the month cannot be priced.
    bill(MAR, X3, "voice_call", "P_GONE"),
    # April is after the as_of date.
    bill(APR, X1, "monthly_plan", "P58"),
]


def usage(who: dict, month: date, voice: int, sms: int, data: int) -> dict:
    return {**who, "month": month, "voice_minutes": voice, "sms_count": sms, "data_mb": data}


USAGE = [
    # P58 58.00; P18 18 + 70 × 0.25 + 30 × 0.10 + 300 × 0.03 = 47.50: saves 10.50 (18 %).
    usage(X1, FEB, 120, 30, 800),
    # Billed P18 30.50 is the cheapest: saving 0.
    usage(X2, FEB, 100, 0, 400),
    # P58 58.00; P18 18 + 10 × 0.25 = 20.50: saves 37.50.
    usage(X3, FEB, 60, 0, 500),
    # P_BIG 198.00; P_186 186.00: saves 12.00 ≥ 10 yuan but < 10 % (19.80): not overpaying.
    usage(X4, FEB, 1000, 10, 30000),
    # P100 100.00; P90 90.00: saves exactly 10.00 and exactly 10 %: overpaying.
    usage(X5, FEB, 10, 0, 10000),
    usage(X1, MAR, 120, 30, 800),
    usage(X2, MAR, 10, 0, 10),
    usage(X3, MAR, 10, 0, 10),
    usage(X1, APR, 10, 0, 10),
]


def dispute(
    dispute_id: str,
    who: dict,
    month: date,
    item: str,
    verified: str | None,
    error: str | None,
    refund: str | None = None,
    refunded: str | None = None,
) -> dict:
    return {
        "dispute_id": dispute_id,
        **who,
        "raised_at": ts("2025-02-20 09:00:00"),
        "bill_month": month,
        "item_code": item,
        "claimed_amount": money("10.00"),
        "verified_at": ts(verified),
        "verified_error_amount": money(error),
        "refund_amount": money(refund),
        "refunded_at": ts(refunded),
    }


DISPUTES = [
    # Verified 2025-03-01 10:00. Exactly 2× at exactly 7 days: kept.
    dispute(
        "d1", X1, FEB, "voice_call", "2025-03-01 10:00:00", "10.00", "20.00", "2025-03-08 10:00:00"
    ),
    # 1.99×: short.
    dispute(
        "d2", X2, FEB, "voice_call", "2025-03-01 10:00:00", "10.00", "19.90", "2025-03-02 10:00:00"
    ),
    # 7 days + 1 s: late.
    dispute(
        "d3", X1, FEB, "sp_sms", "2025-03-01 10:00:00", "10.00", "20.00", "2025-03-08 10:00:01"
    ),
    # Verified 2025-03-02 09:00. Refunded on day 7: kept; on day 8: late; never: missing.
    dispute("d4", X3, FEB, "sp_sms", "2025-03-02 09:00:00", "5.00", "10.00", "2025-03-09 08:00:00"),
    dispute("d5", X3, FEB, "sp_sms", "2025-03-02 09:00:00", "5.00", "10.00", "2025-03-10 09:00:00"),
    dispute("d6", X2, FEB, "voice_call", "2025-03-02 09:00:00", "5.00"),
    # Verified 2025-03-15: unrefunded inside its 7 days (not assessed); refunded (kept).
    dispute("d7", X1, MAR, "voice_call", "2025-03-15 09:00:00", "5.00"),
    dispute(
        "d8", X2, MAR, "voice_call", "2025-03-15 09:00:00", "5.00", "10.00", "2025-03-16 09:00:00"
    ),
    # Checked, no error: no billing error, nothing to refund.
    dispute("d9", X3, FEB, "voice_call", "2025-03-02 09:00:00", "0.00"),
    # Refunded after as_of: not refunded yet, inside its 7 days. Still a billing error.
    dispute(
        "d10", X3, MAR, "voice_call", "2025-03-19 09:00:00", "5.00", "10.00", "2025-03-21 09:00:00"
    ),
    # Not verified; verified after as_of.
    dispute("d11", X1, FEB, "monthly_plan", None, None),
    dispute("d12", X2, FEB, "monthly_plan", "2025-03-21 09:00:00", "3.00"),
    # An error on a call charge that is not on X4's February bill (others' bills have one):
    # a billing error (listed), but no bill item is erroneous. Unrefunded inside its 7
    # days: not assessed for the refund.
    dispute("d13", X4, FEB, "voice_call", "2025-03-19 09:00:00", "5.00"),
]


def order(
    order_id: str, channel: str, charged: str | None, confirmed=None, reminded=None, cancelled=None
) -> dict:
    return {
        "order_id": order_id,
        **X1,
        "product_code": "VAS1",
        "product_name": "彩铃",
        "billing_type": "monthly",
        "order_channel": channel,
        "requested_at": ts("2025-02-28 09:00:00"),
        "confirmed_at": ts(confirmed),
        "charge_reminder_at": ts(reminded),
        "first_charged_at": ts(charged),
        "cancelled_at": ts(cancelled),
    }


VAS_ORDERS = [
    # Confirmed and reminded exactly at the first charge: both on time.
    order("o1", "sms", "2025-03-01 10:00:00", "2025-03-01 10:00:00", "2025-03-01 10:00:00"),
    # Confirmed 1 s after the first charge; cancelled after as_of (not yet, at as_of).
    order(
        "o2",
        "sms",
        "2025-03-01 10:00:00",
        "2025-03-01 10:00:01",
        "2025-03-01 09:00:00",
        "2025-03-25 10:00:00",
    ),
    # No charge reminder; cancelled before as_of.
    order("o3", "web", "2025-03-01 10:00:00", "2025-03-01 09:00:00", None, "2025-03-10 10:00:00"),
    # Neither at the charge; confirmed after as_of, which cures nothing and has not happened.
    order("o4", "web", "2025-03-02 10:00:00", "2025-03-22 10:00:00"),
    # Never charged; charged after as_of.
    order("o5", "app", None, "2025-03-01 09:00:00", "2025-03-01 09:00:00"),
    order("o6", "app", "2025-03-21 10:00:00"),
    order("o7", "hall", "2025-03-02 09:00:00", "2025-03-02 08:00:00", "2025-03-02 08:00:00"),
]


def suspension(suspension_id: str, reason: str, at: str, reminded: str | None = None) -> dict:
    return {
        "suspension_id": suspension_id,
        **X2,
        "suspended_at": ts(at),
        "reason": reason,
        "reminder_sent_at": ts(reminded),
    }


SUSPENSIONS = [
    # Reminder exactly 24 h before: ok; 23 h 59 min before: too late; none.
    suspension("s1", "arrears", "2025-03-05 10:00:00", "2025-03-04 10:00:00"),
    suspension("s2", "arrears", "2025-03-05 10:00:00", "2025-03-04 10:01:00"),
    suspension("s3", "arrears", "2025-03-05 11:00:00"),
    # Not for arrears: no reminder is promised.
    suspension("s4", "customer_request", "2025-03-05 12:00:00"),
    # After as_of.
    suspension("s5", "arrears", "2025-03-21 10:00:00"),
    suspension("s6", "arrears", "2025-03-06 09:00:00", "2025-03-01 09:00:00"),
]


def payment(payment_id: str, channel: str, paid: str, confirmed: str | None = None) -> dict:
    return {
        "payment_id": payment_id,
        **X3,
        "paid_at": ts(paid),
        "amount": money("50.00"),
        "channel": channel,
        "confirm_sms_at": ts(confirmed),
    }


PAYMENTS = [
    # SMS at exactly 10 min: on time; at 10 min 1 s: late; never (deadline long past).
    payment("p1", "mobile_app", "2025-03-03 10:00:00", "2025-03-03 10:10:00"),
    payment("p2", "mobile_app", "2025-03-03 11:00:00", "2025-03-03 11:10:01"),
    payment("p3", "bank", "2025-03-03 12:00:00"),
    # SMS 1 s before the payment: not in [paid_at, paid_at + 10 min].
    payment("p6", "hall_counter", "2025-03-03 13:00:00", "2025-03-03 12:59:59"),
    # On the as_of day: 5 min old without SMS (not assessed); confirmed after 1 min.
    payment("p4", "bank", "2025-03-20 11:55:00"),
    payment("p5", "bank", "2025-03-20 11:55:00", "2025-03-20 11:56:00"),
    # 10 min 1 s old without SMS: assessed, late; exactly 10 min old: not yet.
    payment("p7", "hall_counter", "2025-03-20 11:49:59"),
    payment("p8", "hall_counter", "2025-03-20 11:50:00"),
]


def alert(who: dict, pct: int, crossed: str, sent: str | None = None) -> dict:
    return {
        **who,
        "month": MAR,
        "threshold_pct": pct,
        "crossed_at": ts(crossed),
        "alert_sent_at": ts(sent),
    }


ALERTS = [
    # Alert at exactly 60 min: on time; at 60 min 1 s: late; none; 1 min before the crossing.
    alert(X1, 50, "2025-03-05 10:00:00", "2025-03-05 11:00:00"),
    alert(X1, 80, "2025-03-05 12:00:00", "2025-03-05 13:00:01"),
    alert(X2, 100, "2025-03-05 14:00:00"),
    alert(X2, 50, "2025-03-05 09:00:00", "2025-03-05 08:59:00"),
    # 30 min old without alert: not assessed; alerted after 5 min: on time.
    alert(X3, 50, "2025-03-20 11:30:00"),
    alert(X3, 80, "2025-03-20 11:40:00", "2025-03-20 11:45:00"),
]

ROWS = {
    "plans": PLANS,
    "subscribers": SUBSCRIBERS,
    "bill_items": BILL_ITEMS,
    "usage_monthly": USAGE,
    "billing_disputes": DISPUTES,
    "vas_orders": VAS_ORDERS,
    "suspensions": SUSPENSIONS,
    "payments": PAYMENTS,
    "data_usage_alerts": ALERTS,
}


@pytest.fixture(scope="module")
def billing(dbt_build_factory: Callable[[str], DbtBuild]) -> DbtBuild:
    build = dbt_build_factory("billing")
    load_rows(build.database, ROWS, LOADED_AT, "billing.csv")
    build.run("build", as_of=AS_OF)
    return build


def part(
    build: DbtBuild, kpi_id: str, grain: str, period: str, segment: tuple = ("all", "all")
) -> tuple[float, float] | None:
    rows = build.query(
        "SELECT numerator, denominator FROM intermediate.int_kpi_parts__billing "
        "WHERE kpi_id = ? AND grain = ? AND period_start = CAST(? AS DATE) "
        "AND segment_type = ? AND segment_value = ?",
        (kpi_id, grain, period, *segment),
    )
    assert len(rows) <= 1
    return rows[0] if rows else None


@pytest.mark.parametrize(
    ("kpi_id", "grain", "period", "segment", "expected"),
    [
        # February: 10 bill items; errors on X1 voice (d1), X2 voice (d2, d6: one item),
        # X1 sp_sms (d3), X3 sp_sms (d4, d5). d9 found no error, d11/d12 not verified by as_of,
        # d13's item is not on X4's bill: no erroneous item.
        ("billing_error_rate", "month", "2025-02-01", ("all", "all"), (4, 10)),
        ("billing_error_rate", "month", "2025-02-01", ("item_code", "voice_call"), (2, 3)),
        ("billing_error_rate", "month", "2025-02-01", ("item_code", "sp_sms"), (2, 2)),
        ("billing_error_rate", "month", "2025-02-01", ("item_code", "monthly_plan"), (0, 5)),
        # March: 5 items, X1/X2/X3 voice all disputed with errors (d7, d8, d10).
        ("billing_error_rate", "month", "2025-03-01", ("all", "all"), (3, 5)),
        # d1 kept, d2 short, d3 late.
        ("billing_double_refund", "day", "2025-03-01", ("all", "all"), (1, 3)),
        ("billing_double_refund", "day", "2025-03-01", ("item_code", "voice_call"), (1, 2)),
        ("billing_double_refund", "day", "2025-03-01", ("item_code", "sp_sms"), (0, 1)),
        # d4 (day 7) kept, d5 (day 8) late, d6 missing.
        ("billing_double_refund", "day", "2025-03-02", ("all", "all"), (1, 3)),
        ("billing_double_refund", "day", "2025-03-02", ("item_code", "sp_sms"), (1, 2)),
        # d8 kept; d7 still inside its 7 days.
        ("billing_double_refund", "day", "2025-03-15", ("all", "all"), (1, 1)),
        ("vas_second_confirmation", "day", "2025-03-01", ("all", "all"), (2, 3)),
        ("vas_second_confirmation", "day", "2025-03-01", ("order_channel", "sms"), (1, 2)),
        ("vas_second_confirmation", "day", "2025-03-02", ("order_channel", "web"), (0, 1)),
        ("vas_charge_reminder", "day", "2025-03-01", ("all", "all"), (2, 3)),
        ("vas_charge_reminder", "day", "2025-03-01", ("order_channel", "web"), (0, 1)),
        ("vas_charge_reminder", "day", "2025-03-02", ("all", "all"), (1, 2)),
        ("suspension_reminder", "day", "2025-03-05", ("all", "all"), (1, 3)),
        ("suspension_reminder", "day", "2025-03-06", ("all", "all"), (1, 1)),
        ("payment_confirmation_sms", "day", "2025-03-03", ("all", "all"), (1, 4)),
        ("payment_confirmation_sms", "day", "2025-03-03", ("channel", "mobile_app"), (1, 2)),
        ("payment_confirmation_sms", "day", "2025-03-20", ("all", "all"), (1, 2)),
        ("payment_confirmation_sms", "day", "2025-03-20", ("channel", "hall_counter"), (0, 1)),
        ("data_alert_timeliness", "day", "2025-03-05", ("all", "all"), (1, 4)),
        ("data_alert_timeliness", "day", "2025-03-05", ("threshold_pct", "50"), (1, 2)),
        ("data_alert_timeliness", "day", "2025-03-05", ("threshold_pct", "100"), (0, 1)),
        ("data_alert_timeliness", "day", "2025-03-20", ("all", "all"), (1, 1)),
        # February: X1, X3, X5 of 5 priced months. March: X1 of X1, X2 (X3's plan unknown).
        ("tariff_overpay_rate", "month", "2025-02-01", ("all", "all"), (3, 5)),
        ("tariff_overpay_rate", "month", "2025-03-01", ("all", "all"), (1, 2)),
    ],
)
def test_kpi_parts(
    billing: DbtBuild, kpi_id: str, grain: str, period: str, segment: tuple, expected: tuple
) -> None:
    assert part(billing, kpi_id, grain, period, segment) == expected


def test_month_only_kpis_have_no_day_rows_and_nothing_after_as_of(billing: DbtBuild) -> None:
    assert sorted(
        billing.query(
            "SELECT DISTINCT kpi_id, grain FROM intermediate.int_kpi_parts__billing "
            "WHERE kpi_id IN ('billing_error_rate', 'tariff_overpay_rate')"
        )
    ) == [("billing_error_rate", "month"), ("tariff_overpay_rate", "month")]
    assert billing.query(
        "SELECT count(*) FROM marts.kpi_values WHERE kpi_id = 'billing_error_rate' "
        "AND grain <> 'month'"
    ) == [(0,)]
    assert billing.query(
        "SELECT count(*) FROM intermediate.int_kpi_parts__billing "
        "WHERE period_start > DATE '2025-03-20'"
    ) == [(0,)]


def test_day_kpis_roll_up_in_kpi_values(billing: DbtBuild) -> None:
    # March: 03-01 (1/3) + 03-02 (1/3) + 03-15 (1/1).
    assert billing.kpi("billing_double_refund", "month", "2025-03-01")[:2] == (3, 7)
    assert billing.kpi("suspension_reminder", "week", "2025-03-03")[:2] == (2, 4)


def tariff(build: DbtBuild, who: dict, month: date) -> tuple:
    rows = build.query(
        "SELECT billed_plan_code, billed_plan_cost, cheapest_plan_code, cheapest_plan_cost, "
        "saving, is_overpaying FROM marts.tariff_recommendations "
        "WHERE customer_key = ? AND usage_month = ?",
        (who["customer_key"], month),
    )
    assert len(rows) == 1
    return rows[0]


def test_tariff_cost_formula(billing: DbtBuild) -> None:
    d = Decimal
    assert tariff(billing, X1, FEB) == ("P58", d("58.00"), "P18", d("47.50"), d("10.50"), True)
    assert tariff(billing, X2, FEB) == ("P18", d("30.50"), "P18", d("30.50"), d("0.00"), False)
    assert tariff(billing, X4, FEB) == (
        "P_BIG",
        d("198.00"),
        "P_186",
        d("186.00"),
        d("12.00"),
        False,
    )
    assert tariff(billing, X5, FEB) == ("P100", d("100.00"), "P90", d("90.00"), d("10.00"), True)
    # A billed plan the catalogue does not know cannot be priced (and is an orphan).
    assert tariff(billing, X3, MAR)[:2] == ("P_GONE", None)
    assert billing.query(
        "SELECT count(*) FROM marts.tariff_recommendations WHERE usage_month > DATE '2025-03-20'"
    ) == [(0,)]


def test_tariff_money_is_decimal(billing: DbtBuild) -> None:
    types = dict(
        billing.query(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'marts' AND table_name = 'tariff_recommendations'"
        )
    )
    for column in ("billed_plan_cost", "cheapest_plan_cost", "saving"):
        assert types[column] == "DECIMAL(18,2)"


# Y1 to Y4 in February 2025. T_OLD was withdrawn before it; T_A and T_B cost the same at
# 50 minutes: T_A 25 + 50 × 0.20 = 35.00, T_B 30 + 50 × 0.10 = 35.00.
# Y5 in March, when T_Z goes on sale one fen cheaper than T_A: the lower cost wins over the
# lower code, even with a dozen dear plans between the two codes (T_F00…T_F11).
# Y6 in December 2019, before any plan was on sale: priced on its billed plan, no cheapest.
# Y7 in February without a bill: nothing to compare, yet the cheapest plan is found.
DEC_2019 = date(2019, 12, 1)
Y1, Y2, Y3, Y4, Y5, Y6, Y7 = (phone(f"1380000000{n}") for n in range(1, 8))
TIE_PLANS = [
    plan(
        "T_OLD",
        "20.00",
        (1000, 1000, 10240),
        ("0.10", "0.10", "0.01"),
        available_to=date(2024, 12, 31),
    ),
    plan("T_B", "30.00", (0, 0, 0), ("0.10", "0.10", "0.01")),
    plan("T_A", "25.00", (0, 0, 0), ("0.20", "0.10", "0.01")),
    plan("T_Z", "24.99", (0, 0, 0), ("9.00", "9.00", "9.00"), available_from=MAR),
    *(plan(f"T_F{n:02d}", "999.00", (0, 0, 0), ("9.00", "9.00", "9.00")) for n in range(12)),
]
TIE_ROWS = {
    "plans": TIE_PLANS,
    "bill_items": [
        bill(FEB, Y1, "monthly_plan", "T_OLD"),
        bill(FEB, Y2, "monthly_plan", "T_B"),
        # No monthly-fee item: the smallest code on the bill.
        bill(FEB, Y3, "voice_call", "T_B"),
        bill(FEB, Y3, "sp_sms", "T_A"),
        # The monthly-fee item's code, though another item carries a smaller one.
        bill(FEB, Y4, "monthly_plan", "T_B"),
        bill(FEB, Y4, "sp_sms", "T_A"),
        bill(MAR, Y5, "monthly_plan", "T_A"),
        bill(DEC_2019, Y6, "monthly_plan", "T_OLD"),
    ],
    "usage_monthly": [
        usage(Y1, FEB, 50, 0, 0),
        usage(Y2, FEB, 50, 0, 0),
        usage(Y3, FEB, 0, 0, 0),
        usage(Y4, FEB, 0, 0, 0),
        usage(Y5, MAR, 0, 0, 0),
        usage(Y6, DEC_2019, 0, 0, 0),
        usage(Y7, FEB, 0, 0, 0),
    ],
}


def test_tariff_ties_withdrawn_plans_and_malformed_bills(
    dbt_build_factory: Callable[[str], DbtBuild],
) -> None:
    build = dbt_build_factory("tariff_ties")
    load_rows(build.database, TIE_ROWS, LOADED_AT, "ties.csv")
    build.run("run", "--select", "+int_tariff__monthly_costs", as_of=AS_OF)
    rows = build.query(
        "SELECT customer_key, billed_plan_code, billed_plan_cost, cheapest_plan_code, "
        "cheapest_plan_cost, saving FROM intermediate.int_tariff__monthly_costs"
    )
    d = Decimal
    assert {row[0]: row[1:] for row in rows} == {
        # Billed a withdrawn plan at 20.00: the cheapest on sale costs more (a tie, T_A).
        Y1["customer_key"]: ("T_OLD", d("20.00"), "T_A", d("35.00"), d("-15.00")),
        # Billed T_B, as cheap as T_A: the tie goes to the smaller code.
        Y2["customer_key"]: ("T_B", d("35.00"), "T_A", d("35.00"), d("0.00")),
        Y3["customer_key"]: ("T_A", d("25.00"), "T_A", d("25.00"), d("0.00")),
        Y4["customer_key"]: ("T_B", d("30.00"), "T_A", d("25.00"), d("5.00")),
        Y5["customer_key"]: ("T_A", d("25.00"), "T_Z", d("24.99"), d("0.01")),
        Y6["customer_key"]: ("T_OLD", d("20.00"), None, None, None),
        Y7["customer_key"]: (None, None, "T_A", d("25.00"), None),
    }


def listed(build: DbtBuild, table: str, key: str) -> dict[str, Any]:
    return dict(build.query(f"SELECT {key}, violation FROM marts.{table}"))


def test_compliance_lists(billing: DbtBuild) -> None:
    assert listed(billing, "vas_orders_without_consent", "order_id") == {
        "o2": "no_confirmation",
        "o3": "no_charge_reminder",
        "o4": "no_confirmation_no_reminder",
    }
    # What happens after as_of has not happened: o2's cancellation, o4's confirmation.
    assert billing.query(
        "SELECT order_id, confirmed_at, cancelled_at FROM marts.vas_orders_without_consent "
        "ORDER BY order_id"
    ) == [
        ("o2", ts("2025-03-01 10:00:01"), None),
        ("o3", ts("2025-03-01 09:00:00"), ts("2025-03-10 10:00:00")),
        ("o4", None, None),
    ]
    assert listed(billing, "double_refund_violations", "dispute_id") == {
        "d2": "short",
        "d3": "late",
        "d5": "late",
        "d6": "missing",
    }
    assert listed(billing, "suspensions_without_reminder", "suspension_id") == {
        "s2": "reminder_too_late",
        "s3": "no_reminder",
    }
    assert billing.query(
        "SELECT refund_shortfall FROM marts.double_refund_violations WHERE dispute_id = 'd2'"
    ) == [(Decimal("0.10"),)]
    # Verified with an error by as_of: not d9 (no error), d11 (unverified), d12 (later).
    assert set(listed(billing, "billing_errors", "dispute_id")) == {
        "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d10", "d13",
    }  # fmt: skip
    # p1, p5 on time; p4, p8 still inside their 10 minutes at as_of.
    assert listed(billing, "payment_sms_violations", "payment_id") == {
        "p2": "sms_late",
        "p3": "no_sms",
        "p6": "sms_before_payment",
        "p7": "no_sms",
    }
    # X1 50 % and X3 80 % on time; X3 50 % still inside its 60 minutes at as_of.
    assert listed(billing, "data_alert_violations", "crossed_at") == {
        ts("2025-03-05 12:00:00"): "alert_late",
        ts("2025-03-05 14:00:00"): "no_alert",
        ts("2025-03-05 09:00:00"): "alert_before_crossing",
    }


@pytest.mark.parametrize(
    "table",
    [
        "vas_orders_without_consent",
        "double_refund_violations",
        "suspensions_without_reminder",
        "payment_sms_violations",
        "data_alert_violations",
        "billing_errors",
        "tariff_recommendations",
    ],
)
def test_lists_hold_no_phone_number(billing: DbtBuild, table: str) -> None:
    """Masked numbers and keys only: no 11-digit mobile number in any text column."""
    columns = [
        name
        for name, kind in billing.query(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'marts' AND table_name = ?",
            (table,),
        )
        if kind == "VARCHAR"
    ]
    assert {"customer_key", "msisdn_masked"} <= set(columns)
    rows = billing.query(f"SELECT {', '.join(columns)} FROM marts.{table}")
    assert rows
    mobile = re.compile(r"1[3-9]\d{9}")
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        assert re.fullmatch(r"1\d\d\*{4}\d{4}", record["msisdn_masked"])
        assert re.fullmatch(r"[0-9a-f]{64}", record["customer_key"])
        for name, value in record.items():
            assert not any(number in (value or "") for number in PHONES), (table, name)
            if name != "customer_key":
                assert not mobile.search(value or ""), (table, name, value)


# The incremental billing models and what the comparison of incremental and full builds reads.
INCREMENTAL_SELECT = (
    "--select",
    "+tariff_recommendations",
    "+payment_sms_violations",
    "+data_alert_violations",
    "+int_kpi_parts__billing",
    "+vas_orders_without_consent",
)
INCREMENTAL_TABLES = (
    "intermediate.int_bill_items__monthly_counts",
    "intermediate.int_billing_disputes__billed",
    "intermediate.int_kpi_parts__billing",
    "intermediate.int_tariff__monthly_costs",
    "intermediate.int_payments__assessed",
    "intermediate.int_data_usage_alerts__assessed",
    "intermediate.int_vas_orders__assessed",
    "marts.tariff_recommendations",
    "marts.payment_sms_violations",
    "marts.data_alert_violations",
    "marts.vas_orders_without_consent",
)
# An SMS 17 hours late, sent after the first build's as_of: only the SMS time can bring its
# day (2025-03-19, which receives no other load) into a later run.
LATE_SMS = payment("p9", "bank", "2025-03-19 20:00:00", "2025-03-20 13:00:00")
# The only violation of its day (no alert), which the second delivery corrects: an alert
# sent after 20 minutes. The compliance list must then hold nothing of 2025-03-08.
UNALERTED = alert(X4, 80, "2025-03-08 09:00:00")
# Disputes of the first delivery. An error on X4's March plan fee, whose bill comes with
# the second delivery only: an erroneous bill item from then on. And a dispute on X1's
# April plan fee (not verified), the only billed dispute of April, which the second
# delivery withdraws while it brings one on an item not billed in April: April is rebuilt
# and must hold no billed dispute any more.
FIRST_DISPUTES = [
    dispute("d14", X4, MAR, "monthly_plan", "2025-03-18 09:00:00", "5.00"),
    dispute("d16", X1, APR, "monthly_plan", None, None),
]
# The second delivery, 2025-03-21.
LATE = {
    "bill_items": [bill(MAR, X4, "monthly_plan", "P_BIG")],
    "usage_monthly": [usage(X4, MAR, 1000, 10, 30000)],
    # 2025-03-03 delivered again without p3; a payment on a day that had none.
    "payments": [
        *(p for p in PAYMENTS if p["payment_id"] in ("p2", "p6")),
        payment("p10", "bank", "2025-03-05 10:00:00", "2025-03-05 10:03:00"),
    ],
    # X1's 80 % crossing corrected to the next day: 2025-03-05 gets no other row, so only
    # the reloaded key can rebuild it without the old version. Two new crossings of 03-07
    # put thresholds below and above it in the same delivery: the stored rows are searched
    # for reloaded keys within the range of each key column, and 80 % lies inside it.
    "data_usage_alerts": [
        alert(X1, 80, "2025-03-06 12:00:00", "2025-03-06 12:30:00"),
        alert(X4, 50, "2025-03-07 09:00:00", "2025-03-07 09:10:00"),
        alert(X3, 100, "2025-03-07 10:00:00", "2025-03-07 10:20:00"),
        {**UNALERTED, "alert_sent_at": ts("2025-03-08 09:20:00")},
    ],
    # An error on X1's February plan fee, billed since the first delivery (so March is
    # rebuilt for its new bill item alone); X2's April plan fee, not billed.
    "billing_disputes": [
        dispute("d15", X1, FEB, "monthly_plan", "2025-03-20 10:00:00", "2.00"),
        dispute("d17", X2, APR, "monthly_plan", None, None),
    ],
    # o4's first charge corrected to the next day, reminded before it now: 03-02 keeps o7,
    # so only the reloaded key can rebuild that day without o4.
    "vas_orders": [
        order("o4", "web", "2025-03-03 10:00:00", "2025-03-22 10:00:00", "2025-03-03 09:00:00")
    ],
}
# Ingestion replaces a re-delivered key and removes what a corrected delivery left out.
LATE_REPLACES = (
    "DELETE FROM raw.vas_orders WHERE order_id = 'o4'",
    "DELETE FROM raw.payments WHERE payment_id IN ('p2', 'p3', 'p6')",
    f"DELETE FROM raw.data_usage_alerts WHERE customer_key = '{X1['customer_key']}' "
    "AND threshold_pct = 80",
    f"DELETE FROM raw.data_usage_alerts WHERE customer_key = '{X4['customer_key']}' "
    "AND threshold_pct = 80",
    "DELETE FROM raw.billing_disputes WHERE dispute_id = 'd16'",
)
CHEAP = {"plans": [plan("P10", "10.00", (0, 0, 0), ("0.01", "0.01", "0.0001"))]}


def _deliver(build: DbtBuild, step: str) -> None:
    """One delivery (first, late or plans) into raw, as ingestion leaves it."""
    if step == "first":
        first = {
            **ROWS,
            "payments": [*PAYMENTS, LATE_SMS],
            "data_usage_alerts": [*ROWS["data_usage_alerts"], UNALERTED],
            "billing_disputes": [*DISPUTES, *FIRST_DISPUTES],
        }
        load_rows(build.database, first, LOADED_AT, "a.csv")
    elif step == "late":
        with duckdb.connect(str(build.database)) as con:
            for statement in LATE_REPLACES:
                con.execute(statement)
        load_rows(build.database, LATE, datetime(2025, 3, 21), "late.csv")
    else:
        load_rows(build.database, CHEAP, datetime(2025, 3, 22), "plans.csv")


def _tables(build: DbtBuild) -> dict[str, list[tuple]]:
    return {table: build.rows(table) for table in INCREMENTAL_TABLES}


def _by_day(build: DbtBuild, table: str, day: str) -> tuple:
    """(rows, assessed, on time) of one day of int_payments__assessed or the alerts."""
    column, on_time = {
        "int_payments__assessed": ("paid_on", "is_confirmed_in_time"),
        "int_data_usage_alerts__assessed": ("crossed_on", "is_alerted_in_time"),
    }[table]
    return build.query(
        f"SELECT count(*), sum(CASE WHEN is_assessed THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {on_time} THEN 1 ELSE 0 END) FROM intermediate.{table} "
        f"WHERE {column} = CAST(? AS DATE)",
        (day,),
    )[0]


def _listed_on(build: DbtBuild, day: str) -> tuple[set[str], set[str]]:
    """The payments and the alert violations the compliance lists hold for one day."""
    payments = build.query(
        "SELECT payment_id FROM marts.payment_sms_violations WHERE paid_on = CAST(? AS DATE)",
        (day,),
    )
    alerts = build.query(
        "SELECT violation FROM marts.data_alert_violations WHERE crossed_on = CAST(? AS DATE)",
        (day,),
    )
    return {p for (p,) in payments}, {v for (v,) in alerts}


def _plan_fee_errors(build: DbtBuild, month: str) -> list[tuple]:
    """(erroneous, billed) plan fees of a month: billing_error_rate's monthly_plan part."""
    return build.query(
        "SELECT numerator, denominator FROM intermediate.int_kpi_parts__billing "
        "WHERE kpi_id = 'billing_error_rate' AND period_start = CAST(? AS DATE) "
        "AND segment_type = 'item_code' AND segment_value = 'monthly_plan'",
        (month,),
    )


def _billed_disputes(build: DbtBuild, month: str) -> int:
    return build.query(
        "SELECT count(*) FROM intermediate.int_billing_disputes__billed "
        "WHERE bill_month = CAST(? AS DATE)",
        (month,),
    )[0][0]


def test_billing_incremental_runs_match_full_rebuilds(
    dbt_build_factory: Callable[[str], DbtBuild],
) -> None:
    """Late, corrected and moved rows, deadlines closing as as_of moves on to 14:00, as_of
    on into April, a reloaded plan catalogue, then as_of back at 12:00 on 03-20: after each
    incremental run the incremental billing models equal a full build of the same raw
    data."""
    later = "2025-03-20 14:00:00"
    incremental = dbt_build_factory("billing_incremental")
    full = dbt_build_factory("billing_full")
    for build in (incremental, full):
        _deliver(build, "first")
    incremental.run("run", *INCREMENTAL_SELECT, as_of=AS_OF)
    # At 12:00, p9's SMS has not been sent: assessed (deadline long past), not on time.
    assert incremental.query(
        "SELECT confirm_sms_at, is_assessed FROM intermediate.int_payments__assessed "
        "WHERE payment_id = 'p9'"
    ) == [(None, True)]
    assert _listed_on(incremental, "2025-03-08") == (set(), {"no_alert"})
    # X4's March plan fee is not billed yet: of X1's and X2's, none erroneous.
    assert _plan_fee_errors(incremental, "2025-03-01") == [(0.0, 2.0)]
    assert _plan_fee_errors(incremental, "2025-02-01") == [(0.0, 5.0)]
    assert _billed_disputes(incremental, "2025-04-01") == 1

    for build in (incremental, full):
        _deliver(build, "late")
    incremental.run("run", *INCREMENTAL_SELECT, as_of=later)
    full.run("run", *INCREMENTAL_SELECT, as_of=later)
    assert _tables(incremental) == _tables(full)
    # 03-03: p1 on time, p2 late, p6 before the payment; p3 gone. 03-05: p10 on time.
    # 03-19: p9 now has its SMS, still late. 03-20 at 14:00: p4 and p8 (no SMS) are past
    # their 10 minutes too: p5 on time of p4, p5, p7, p8.
    assert _by_day(incremental, "int_payments__assessed", "2025-03-03") == (3, 3, 1)
    assert _by_day(incremental, "int_payments__assessed", "2025-03-05") == (1, 1, 1)
    assert _by_day(incremental, "int_payments__assessed", "2025-03-19") == (1, 1, 0)
    assert _by_day(incremental, "int_payments__assessed", "2025-03-20") == (4, 4, 1)
    # X1's 80 % crossing left 03-05 for 03-06 (on time); X3's 50 % crossing of 11:30 had
    # no alert within its hour.
    assert _by_day(incremental, "int_data_usage_alerts__assessed", "2025-03-05") == (3, 3, 1)
    assert _by_day(incremental, "int_data_usage_alerts__assessed", "2025-03-06") == (1, 1, 1)
    assert _by_day(incremental, "int_data_usage_alerts__assessed", "2025-03-20") == (2, 2, 1)
    # X4's 80 % crossing of 03-08 now has its alert in time: the day lists nothing.
    assert _by_day(incremental, "int_data_usage_alerts__assessed", "2025-03-08") == (1, 1, 1)
    assert _listed_on(incremental, "2025-03-08") == (set(), set())
    # At 14:00 the lists hold 03-20's three payments without SMS and X3's 50 % crossing.
    assert _listed_on(incremental, "2025-03-20") == ({"p4", "p7", "p8"}, {"no_alert"})
    # X4's March plan fee is billed now: one of three erroneous; X1's of February found
    # erroneous. April's only billed dispute was withdrawn.
    assert _plan_fee_errors(incremental, "2025-03-01") == [(1.0, 3.0)]
    assert _plan_fee_errors(incremental, "2025-02-01") == [(1.0, 5.0)]
    assert _billed_disputes(incremental, "2025-04-01") == 0
    assert incremental.query(
        "SELECT order_id FROM intermediate.int_vas_orders__assessed "
        "WHERE first_charged_on = DATE '2025-03-02'"
    ) == [("o7",)]
    assert listed(incremental, "vas_orders_without_consent", "order_id")["o4"] == "no_confirmation"
    assert tariff(incremental, X4, MAR)[:4] == (
        "P_BIG",
        Decimal("198.00"),
        "P_186",
        Decimal("186.00"),
    )

    # as_of reaches April with no new load: its bills count from the month's first instant.
    april = "2025-04-01 00:00:00"
    incremental.run("run", *INCREMENTAL_SELECT, as_of=april)
    full.run("run", *INCREMENTAL_SELECT, "--full-refresh", as_of=april)
    assert _tables(incremental) == _tables(full)
    assert _plan_fee_errors(incremental, "2025-04-01") == [(0.0, 1.0)]
    # o6, first charged on 03-21, is in; o4's confirmation of 03-22 shows (too late).
    assert listed(incremental, "vas_orders_without_consent", "order_id") == {
        "o2": "no_confirmation",
        "o3": "no_charge_reminder",
        "o4": "no_confirmation",
        "o6": "no_confirmation_no_reminder",
    }

    for build in (incremental, full):
        _deliver(build, "plans")
    incremental.run("run", *INCREMENTAL_SELECT, as_of=AS_OF)
    full.run("run", *INCREMENTAL_SELECT, "--full-refresh", as_of=AS_OF)
    assert _tables(incremental) == _tables(full)
    # Back at 12:00: p9's SMS is not sent yet again, p4 and p8 and X3's 50 % crossing are
    # inside their windows again.
    assert _by_day(incremental, "int_payments__assessed", "2025-03-19") == (1, 1, 0)
    assert _by_day(incremental, "int_payments__assessed", "2025-03-20") == (4, 2, 1)
    assert _by_day(incremental, "int_data_usage_alerts__assessed", "2025-03-20") == (2, 1, 1)
    # So 03-20 lists p7 alone (its 10 minutes ended at 11:59:59) and no alert: the day's
    # only alert violation is gone from the list, not kept.
    assert _listed_on(incremental, "2025-03-20") == ({"p7"}, set())
    assert incremental.query(
        "SELECT confirm_sms_at FROM intermediate.int_payments__assessed WHERE payment_id = 'p9'"
    ) == [(None,)]
    # P10 (10 yuan + 0.01 a minute …) is now the cheapest everywhere, February included.
    assert tariff(incremental, X2, FEB)[2] == "P10"
