"""Queries behind the billing-commitments page (计费与承诺): the compliance lists and the
tariff guide.

The KPI figures come from ``lib.kpis``. The lists are the marts behind the KPIs (每一条违规
可追溯), each narrowed to the chosen period by the KPI's anchor time, so a list holds the
cases the period's figure counts as broken promises. Phones are masked (msisdn_masked); the
pseudonymous customer_key is not shown. Each function returns the column names of its SQL.

Billing is not a hall's: every figure needs ``Capability.CITY_WIDE``, and the lists of
single customers' cases ``Capability.CASES`` too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from lib import auth, kpis, serving
from lib.periods import Period
from pipelines.access.policy import Capability


@dataclass(frozen=True)
class ComplianceList:
    mart: str  # a constant interpolated into SQL, never user input
    anchor: str  # the KPI's anchor time: the list is cut to the period by it
    columns: str


DOUBLE_REFUNDS = ComplianceList(
    "double_refund_violations",
    "verified_at",
    "dispute_id, violation, msisdn_masked, strftime(bill_month, '%Y-%m') AS bill_month, "
    "item_code, verified_at, "
    "verified_error_amount, required_refund_amount, refund_deadline_at, refunded_at, "
    "refund_amount, refund_shortfall, days_to_refund, complaint_id",
)
VAS_ORDERS = ComplianceList(
    "vas_orders_without_consent",
    "first_charged_at",
    "order_id, violation, msisdn_masked, product_name, product_code, sp_code, order_channel, "
    "requested_at, confirmed_at, charge_reminder_at, first_charged_at, cancelled_at",
)
SUSPENSIONS = ComplianceList(
    "suspensions_without_reminder",
    "suspended_at",
    "suspension_id, violation, msisdn_masked, suspended_at, reminder_due_at, "
    "reminder_sent_at, reminder_notice_hours, restored_at",
)
BILLING_ERRORS = ComplianceList(
    "billing_errors",
    "bill_month",
    "dispute_id, violation, msisdn_masked, strftime(bill_month, '%Y-%m') AS bill_month, "
    "item_code, verified_at, verified_error_amount, complaint_id",
)
PAYMENT_SMS = ComplianceList(
    "payment_sms_violations",
    "paid_at",
    "payment_id, violation, msisdn_masked, paid_at, amount, channel, confirm_deadline_at, "
    "confirm_sms_at, confirm_sms_seconds",
)
DATA_ALERTS = ComplianceList(
    "data_alert_violations",
    "crossed_at",
    "violation, msisdn_masked, strftime(alert_month, '%Y-%m') AS alert_month, "
    "CAST(threshold_pct AS VARCHAR) AS threshold_pct, crossed_at, alert_deadline_at, "
    "alert_sent_at, alert_seconds",
)
TARIFF_MART = "tariff_recommendations"
# The share of subscribers on an unsuitable plan: its parts are the guide's counts.
TARIFF_KPI = "tariff_overpay_rate"


def published(mart: str) -> bool:
    return serving.table_exists("marts", mart)


def violations(
    source: ComplianceList, period: Period, violation: str | None = None
) -> pd.DataFrame:
    """The list's rows whose anchor falls in ``period`` (optionally one violation type),
    newest first."""
    auth.require(Capability.CITY_WIDE, Capability.CASES)
    return serving.query(
        f"""
        SELECT {source.columns}
        FROM marts.{source.mart}
        WHERE {source.anchor} >= $1 AND {source.anchor} < $2
          AND ($3::VARCHAR IS NULL OR violation = $3)
        ORDER BY {source.anchor} DESC, 1
        """,
        (period.start, period.end, violation),
    )


def violation_types(source: ComplianceList, period: Period) -> list[str]:
    auth.require(Capability.CITY_WIDE, Capability.CASES)
    found = serving.query(
        f"""
        SELECT DISTINCT violation FROM marts.{source.mart}
        WHERE {source.anchor} >= $1 AND {source.anchor} < $2
        ORDER BY violation
        """,
        (period.start, period.end),
    )
    return found["violation"].tolist()


def tariff_months() -> list[date]:
    """Months of the tariff guide, oldest first: those its KPI was assessed in (a month may
    have no recommendation, which is all the serving copy holds of the guide)."""
    auth.require(Capability.CITY_WIDE)
    return kpis.period_starts("month", kpi_ids=[TARIFF_KPI])


def tariff_savings(month: date) -> pd.Series:
    """The total and mean saving in ``month`` that a switch to the cheapest available plan
    would have brought the subscribers on an unsuitable plan (how many there are, and of how
    many assessed, is the KPI ``TARIFF_KPI``). The serving copy holds only those
    subscribers' rows of the guide (publish.PUBLISHED_ROWS)."""
    auth.require(Capability.CITY_WIDE)
    return serving.query(
        f"""
        SELECT coalesce(sum(saving), 0)::DOUBLE AS total_saving,
               (avg(saving))::DOUBLE AS mean_saving
        FROM marts.{TARIFF_MART}
        WHERE usage_month = $1 AND is_overpaying
        """,
        (month,),
    ).iloc[0]


def biggest_savings(month: date, limit: int) -> pd.DataFrame:
    """The ``limit`` subscribers of ``month`` on an unsuitable plan with the largest saving."""
    auth.require(Capability.CITY_WIDE, Capability.CASES)
    return serving.query(
        f"""
        SELECT msisdn_masked, billed_plan_code, billed_plan_cost, cheapest_plan_code,
               cheapest_plan_cost, saving, saving_share, voice_minutes, sms_count, data_mb
        FROM marts.{TARIFF_MART}
        WHERE usage_month = $1 AND is_overpaying
        ORDER BY saving DESC, msisdn_masked
        LIMIT $2
        """,
        (month, limit),
    )


def recommended_plans(month: date) -> pd.DataFrame:
    """Per billed plan and recommended (cheapest available) plan: the subscribers of
    ``month`` on an unsuitable plan, and their total and mean saving."""
    auth.require(Capability.CITY_WIDE)
    return serving.query(
        f"""
        SELECT billed_plan_code, cheapest_plan_code,
               count(*) AS subscribers,
               sum(saving)::DOUBLE AS total_saving,
               avg(saving)::DOUBLE AS mean_saving
        FROM marts.{TARIFF_MART}
        WHERE usage_month = $1 AND is_overpaying
        GROUP BY billed_plan_code, cheapest_plan_code
        ORDER BY subscribers DESC, total_saving DESC, billed_plan_code, cheapest_plan_code
        """,
        (month,),
    )
