"""A serving copy with known answers for the staff-ratings and billing-commitments pages.

It is the shared fixture (``serving_fixture.build_serving_copy``: audit tables, as_of
2026-11-02 23:59, so October 2026 is the latest complete month) plus the marts these pages
read. The figures the pages must show, all for October 2026:

Staff (Wilson 95 % bounds by hand in test_staff_page.py):
  S1 李雷 (H1 胜利路营业厅, hall)  36 of 40 satisfied, 4 dissatisfied, rank 2
  S2 韩梅梅 (H1, hall)             29 of 29: no rank (below 30 valid replies)
  S3 王芳 (H2 光明路营业厅, hall)   30 of 30, rank 1
  S4 张伟 (no hall, hotline)       3 of 5 (1 fairly satisfied, 1 dissatisfied), no rank
  S1 also has September (34 of 35) and November (9 of 10) rows; S1's October replies are
  REPLIES (7 replies of 50 invitations, among them markup and a spreadsheet formula).
Rating KPIs: satisfaction 95/100 overall, 65/70 in H1; dissatisfaction 4/100; response
  rate 100/200. Billing KPIs: error rate 2/10 000, double refund 3/4, VAS confirmation 18/20,
  VAS reminder 17/20, suspension reminder 4/5, payment SMS 990/1 000, data alerts not
  assessed in October (September only), tariff overpay 2/4. Compliance lists: one double
  refund, four VAS orders, one suspension and ten payments without a timely SMS in October,
  one of each kind in September, and one late data alert (September only). Billing errors:
  two on October bills, one on a September bill.
  Week 2026-10-19: VAS confirmation 4/4, reminder 2/4 (V3 and V4 charged that week), no
  double refund assessed (0/0).
  Tariff guide: 2 of 4 subscribers overpaying, saving 80.00 + 12.50 (September: 1 of 1).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from tests.dashboards.serving_fixture import build_serving_copy

REPO_ROOT = Path(__file__).resolve().parents[2]
KPI_CATALOG_SEED = REPO_ROOT / "dbt_project" / "seeds" / "kpi_catalog.csv"

TS = datetime.fromisoformat
D = date.fromisoformat
OCT, SEP, NOV = D("2026-10-01"), D("2026-09-01"), D("2026-11-01")

# fmt: off
# (month, staff_id, staff_name, hall_id, hall_name, team, invitations, valid, code 1, 2, 3,
#  rate, Wilson lower, rank, last month's rate, complaints first owned, answered, FCR rate)
EVALUATION = (
    (OCT, "S1", "李雷", "H1", "胜利路营业厅", "hall", 50, 40, 36, 0, 4,
     0.9, 0.769479, 2, 34 / 35, 2, None, None),
    (OCT, "S2", "韩梅梅", "H1", "胜利路营业厅", "hall", 35, 29, 29, 0, 0,
     1.0, 0.883026, None, None, 0, None, None),
    (OCT, "S3", "王芳", "H2", "光明路营业厅", "hall", 31, 30, 30, 0, 0,
     1.0, 0.886483, 1, None, 1, None, None),
    (OCT, "S4", "张伟", None, None, "hotline", 9, 5, 3, 1, 1,
     0.6, 0.230720, None, None, 0, 120, 0.85),
    (SEP, "S1", "李雷", "H1", "胜利路营业厅", "hall", 45, 35, 34, 1, 0,
     34 / 35, 0.854666, 1, None, 0, None, None),
    (NOV, "S1", "李雷", "H1", "胜利路营业厅", "hall", 12, 10, 9, 0, 1,
     0.9, 0.595844, None, 0.9, 0, None, None),
)

# S1's October invitations with a reply, plus one without (left out of the page's list).
# (invitation_id, invited_at, channel, service_type, phone, reply_at, text, status, code)
REPLIES = (
    ("R1", "2026-10-05 10:00:00", "hall", "办理套餐", "138****0001", "2026-10-05 11:00:00",
     "1", "valid", 1),
    ("R2", "2026-10-08 10:00:00", "hall", "缴费", "138****0002", "2026-10-08 12:00:00",
     "2", "valid", 2),
    ("R3", "2026-10-03 10:00:00", "hall", "缴费", "138****0003", "2026-10-03 10:30:00",
     "3 太慢了", "valid", 3),
    ("R4", "2026-10-20 10:00:00", "online_hall", "补卡", "138****0004",
     "2026-10-20 10:05:00", "不满意", "valid", 3),
    ("R5", "2026-10-15 10:00:00", "hall", "缴费", "138****0005", "2026-10-15 10:01:00",
     "<script>alert(1)</script>", "invalid", None),
    ("R6", "2026-10-10 10:00:00", "hall", "缴费", "138****0006", "2026-10-10 10:02:00",
     '=HYPERLINK("x")', "invalid", None),
    ("R7", "2026-10-12 10:00:00", "hall", "办理套餐", "138****0007", "2026-10-16 10:00:00",
     "1", "late", None),
    ("R8", "2026-10-13 10:00:00", "hall", "缴费", "138****0008", None, None, "no_reply", None),
)
# The order the page must list them in: dissatisfied first, newest first within a code.
REPLY_ORDER = ["R4", "R3", "R2", "R1", "R5", "R7", "R6"]

# (kpi_id, period_start, segment_type, segment_value, numerator, denominator)
KPI_PARTS = (
    ("rating_satisfaction", OCT, "all", "all", 95, 100),
    ("rating_satisfaction", OCT, "hall", "H1", 65, 70),
    ("rating_satisfaction", SEP, "all", "all", 90, 100),
    ("rating_dissatisfaction", OCT, "all", "all", 4, 100),
    ("rating_dissatisfaction", OCT, "hall", "H1", 3, 70),
    ("rating_response_rate", OCT, "all", "all", 100, 200),
    ("billing_error_rate", OCT, "all", "all", 2, 10_000),
    ("billing_error_rate", OCT, "item_code", "voice_call", 2, 4_000),
    ("billing_error_rate", OCT, "item_code", "data_service", 0, 6_000),
    ("billing_double_refund", OCT, "all", "all", 3, 4),
    ("billing_double_refund", OCT, "item_code", "voice_call", 1, 2),
    ("billing_double_refund", OCT, "item_code", "data_service", 2, 2),
    ("vas_second_confirmation", OCT, "all", "all", 18, 20),
    ("vas_second_confirmation", OCT, "order_channel", "sms", 8, 10),
    ("vas_second_confirmation", OCT, "order_channel", "app", 10, 10),
    ("vas_charge_reminder", OCT, "all", "all", 17, 20),
    ("vas_charge_reminder", OCT, "order_channel", "sms", 7, 10),
    ("vas_charge_reminder", OCT, "order_channel", "app", 10, 10),
    ("suspension_reminder", OCT, "all", "all", 4, 5),
    ("payment_confirmation_sms", OCT, "all", "all", 990, 1_000),
    ("payment_confirmation_sms", OCT, "channel", "mobile_app", 490, 500),
    ("payment_confirmation_sms", OCT, "channel", "hall_counter", 500, 500),
    ("data_alert_timeliness", SEP, "all", "all", 99, 100),
    ("tariff_overpay_rate", OCT, "all", "all", 2, 4),
    ("billing_double_refund", SEP, "all", "all", 1, 2),
    ("vas_second_confirmation", SEP, "all", "all", 9, 10),
    ("suspension_reminder", SEP, "all", "all", 1, 2),
    ("tariff_overpay_rate", SEP, "all", "all", 1, 1),
)
# One ISO week (Monday 2026-10-19), so that the page can be switched to weeks.
WEEK = D("2026-10-19")
WEEK_PARTS = (
    ("vas_second_confirmation", WEEK, "all", "all", 4, 4),
    ("vas_charge_reminder", WEEK, "all", "all", 2, 4),
    ("billing_double_refund", WEEK, "all", "all", 0, 0),
)

DOUBLE_REFUNDS = (
    ("D1", "138****2001", "K1", D("2026-09-01"), "voice_call", TS("2026-10-05 09:00:00"), 10.0,
     20.0, TS("2026-10-12 09:00:00"), TS("2026-10-06 09:00:00"), 10.0, "short"),
    ("D0", "138****2000", None, D("2026-08-01"), "data_service", TS("2026-09-20 09:00:00"), 5.0,
     10.0, TS("2026-09-27 09:00:00"), None, None, "missing"),
)
# (order_id, phone, product code, product name, SP, channel, requested, confirmed,
#  charge reminder, first charged, lacks confirmation, lacks reminder, violation)
VAS_ORDERS = (
    ("V1", "138****3001", "MG0001", '=HYPERLINK("x")', "801234", "sms",
     TS("2026-10-03 07:00:00"), None, TS("2026-10-03 07:30:00"), TS("2026-10-03 08:00:00"),
     True, False, "no_confirmation"),
    ("V2", "138****3002", "YX1201", "游戏大厅畅玩包", "801235", "sms",
     TS("2026-10-12 07:00:00"), None, None, TS("2026-10-12 08:00:00"),
     True, True, "no_confirmation_no_reminder"),
    ("V3", "138****3003", "YX1201", "游戏大厅畅玩包", "801235", "sms",
     TS("2026-10-20 07:00:00"), TS("2026-10-20 07:01:00"), None, TS("2026-10-20 08:00:00"),
     False, True, "no_charge_reminder"),
    ("V4", "138****3004", "MG0001", "咪咕视频钻石会员", "801234", "sms",
     TS("2026-10-25 07:00:00"), TS("2026-10-25 07:01:00"), TS("2026-10-25 09:00:00"),
     TS("2026-10-25 08:00:00"), False, True, "no_charge_reminder"),
    ("V0", "138****3000", "MG0001", "咪咕视频钻石会员", "801234", "app",
     TS("2026-09-25 07:00:00"), None, TS("2026-09-25 07:30:00"), TS("2026-09-25 08:00:00"),
     True, False, "no_confirmation"),
)
# October's two erroneous voice items (2 of 10 000), both on October bills; E0 is
# September's.
BILLING_ERRORS = (
    ("E1", "138****7001", D("2026-10-01"), "voice_call", TS("2026-10-20 09:00:00"), 3.0),
    ("E2", "138****7002", D("2026-10-01"), "voice_call", TS("2026-10-28 09:00:00"), 1.5),
    ("E0", "138****7000", D("2026-09-01"), "data_service", TS("2026-09-25 09:00:00"), 2.0),
)
# The ten October payments the KPI misses (990 of 1 000, all ten in mobile_app), the last
# paid first: Y10 on 2026-10-19 … Y1 on 2026-10-10; Y0 is September's.
PAYMENT_SMS = (
    *(
        (f"Y{i}", f"138****50{i:02d}", TS(f"2026-10-{9 + i:02d} 09:00:00"), 50.00, "mobile_app",
         TS(f"2026-10-{9 + i:02d} 09:10:00"), None, None, "no_sms")
        for i in range(1, 11)
    ),
    ("Y0", "138****5000", TS("2026-09-15 09:00:00"), 30.00, "hall_counter",
     TS("2026-09-15 09:10:00"), TS("2026-09-15 09:25:00"), 1500.0, "sms_late"),
)
# September's one late alert (99 of 100); none is assessed in October.
DATA_ALERTS = (
    ("138****6000", SEP, 80, TS("2026-09-20 10:00:00"), TS("2026-09-20 11:00:00"),
     TS("2026-09-20 11:30:00"), 5400.0, "alert_late"),
)
SUSPENSIONS = (
    ("P1", "138****4001", TS("2026-10-08 02:00:00"), TS("2026-10-07 02:00:00"), None, None,
     None, "no_reminder"),
    ("P0", "138****4000", TS("2026-09-08 02:00:00"), TS("2026-09-07 02:00:00"),
     TS("2026-09-07 20:00:00"), 6.0, None, "reminder_too_late"),
)
# (phone, month, billed plan, its cost, cheapest plan, its cost, saving, overpaying)
TARIFF = (
    ("138****1001", OCT, "P88", 128.00, "P38", 48.00, 80.00, True),
    ("138****1002", OCT, "P58", 58.00, "P38", 45.50, 12.50, True),
    ("138****1003", OCT, "P38", 40.00, "P38", 40.00, 0.00, False),
    ("138****1004", OCT, "P58", 60.00, "P38", 52.00, 8.00, False),
    ("138****1005", OCT, "P99", None, "P38", 30.00, None, False),
    ("138****1001", SEP, "P88", 128.00, "P38", 50.00, 78.00, True),
)
# fmt: on


def build_staff_billing_copy(data_dir: Path) -> Path:
    """The shared fixture in ``data_dir`` (which must be ``MANYI_DATA_DIR``) plus the marts
    of the staff and billing pages."""
    path = build_serving_copy(data_dir)
    con = duckdb.connect(str(path))
    try:
        add_staff_billing_marts(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def serve_for_module(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """Publish one copy for a whole test module (MANYI_DATA_DIR points at it meanwhile):
    an unchanged file keeps the dashboard's query cache warm from one test to the next.
    Tests that change the copy build their own in ``data_dir``."""
    data_dir = tmp_path_factory.mktemp(name)
    path = build_staff_billing_copy(data_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MANYI_DATA_DIR", str(data_dir))
        yield path


def add_staff_billing_marts(con: duckdb.DuckDBPyConnection, *, kpis: bool = True) -> None:
    """The staff and billing marts; with ``kpis``, also the catalogue and KPI rows of these
    pages (replacing any there)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    if kpis:
        _kpis(con)
    _staff(con)
    _billing(con)


def _kpis(con: duckdb.DuckDBPyConnection) -> None:
    # The real catalogue (names, units, targets), typed like dbt_project.yml types the seed.
    con.execute(
        """
        CREATE OR REPLACE TABLE marts.kpi_catalog AS
        SELECT * FROM read_csv($1, header = true, columns = {
            'kpi_id': 'VARCHAR', 'name_zh': 'VARCHAR', 'name_en': 'VARCHAR',
            'domain': 'VARCHAR', 'unit': 'VARCHAR', 'direction': 'VARCHAR',
            'target': 'DOUBLE', 'source': 'VARCHAR', 'display_order': 'INTEGER'})
        """,
        (str(KPI_CATALOG_SEED),),
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.kpi_values (kpi_id VARCHAR, grain VARCHAR, "
        "period_start DATE, segment_type VARCHAR, segment_value VARCHAR, numerator DOUBLE, "
        "denominator DOUBLE, value DOUBLE, target DOUBLE, meets_target BOOLEAN)"
    )
    con.executemany(
        "INSERT INTO marts.kpi_values (kpi_id, grain, period_start, segment_type, "
        "segment_value, numerator, denominator) VALUES ($2, $1, $3, $4, $5, $6, $7)",
        [["month", *row] for row in KPI_PARTS] + [["week", *row] for row in WEEK_PARTS],
    )
    # value, target and meets_target as marts.kpi_values derives them.
    con.execute(
        """
        UPDATE marts.kpi_values AS v SET
            value = v.numerator / nullif(v.denominator, 0),
            target = c.target,
            meets_target = CASE WHEN c.direction = 'higher_better'
                THEN v.numerator / nullif(v.denominator, 0) >= c.target
                ELSE v.numerator / nullif(v.denominator, 0) <= c.target END
        FROM marts.kpi_catalog AS c
        WHERE c.kpi_id = v.kpi_id
        """
    )


def _staff(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE marts.staff_evaluation_monthly (month DATE, staff_id VARCHAR, "
        "staff_name VARCHAR, hall_id VARCHAR, hall_name VARCHAR, team VARCHAR, "
        "invitations BIGINT, valid_replies HUGEINT, code_1_replies HUGEINT, "
        "code_2_replies HUGEINT, code_3_replies HUGEINT, satisfaction_rate DOUBLE, "
        "satisfaction_wilson_lower DOUBLE, rank_in_team BIGINT, "
        "previous_month_satisfaction_rate DOUBLE, complaints_first_owned BIGINT, "
        "hotline_answered_calls HUGEINT, hotline_fcr_assessed HUGEINT, "
        "hotline_fcr_resolved HUGEINT, hotline_fcr_rate DOUBLE)"
    )
    con.executemany(
        "INSERT INTO marts.staff_evaluation_monthly VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10, $11, $12, $13, $14, $15, $16, $17, NULL, NULL, $18)",
        [list(row) for row in EVALUATION],
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.staff_rating_replies (invitation_id VARCHAR, "
        "staff_id VARCHAR, invited_month DATE, invited_at TIMESTAMP, channel VARCHAR, "
        "hall_id VARCHAR, service_type VARCHAR, msisdn_masked VARCHAR, reply_at TIMESTAMP, "
        "reply_text VARCHAR, reply_status VARCHAR, reply_code INTEGER)"
    )
    con.executemany(
        "INSERT INTO marts.staff_rating_replies VALUES ($1, 'S1', $2, $3, $4, 'H1', $5, $6, $7, "
        "$8, $9, $10)",
        [
            [rid, OCT, TS(invited), channel, service, phone, reply_at and TS(reply_at), text,
             status, code]
            for rid, invited, channel, service, phone, reply_at, text, status, code in REPLIES
        ],
    )  # fmt: skip


def _billing(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE marts.double_refund_violations (dispute_id VARCHAR, "
        "msisdn_masked VARCHAR, complaint_id VARCHAR, bill_month DATE, item_code VARCHAR, "
        "verified_at TIMESTAMP, verified_error_amount DECIMAL(18, 2), "
        "required_refund_amount DECIMAL(18, 2), refund_deadline_at TIMESTAMP, "
        "refunded_at TIMESTAMP, refund_amount DECIMAL(18, 2), violation VARCHAR, "
        "customer_key VARCHAR DEFAULT 'k', claimed_amount DECIMAL(18, 2) DEFAULT 0, "
        "refund_shortfall DECIMAL(19, 2), days_to_refund DOUBLE)"
    )
    con.executemany(
        "INSERT INTO marts.double_refund_violations (dispute_id, msisdn_masked, complaint_id, "
        "bill_month, item_code, verified_at, verified_error_amount, required_refund_amount, "
        "refund_deadline_at, refunded_at, refund_amount, violation) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        [list(row) for row in DOUBLE_REFUNDS],
    )
    con.execute(
        "UPDATE marts.double_refund_violations SET "
        "refund_shortfall = required_refund_amount - coalesce(refund_amount, 0), "
        "days_to_refund = date_diff('millisecond', verified_at, refunded_at) / 86400000.0"
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.vas_orders_without_consent (order_id VARCHAR, "
        "msisdn_masked VARCHAR, product_code VARCHAR, product_name VARCHAR, sp_code VARCHAR, "
        "order_channel VARCHAR, first_charged_at TIMESTAMP, confirmed_at TIMESTAMP, "
        "requested_at TIMESTAMP, charge_reminder_at TIMESTAMP, lacks_confirmation BOOLEAN, "
        "lacks_charge_reminder BOOLEAN, violation VARCHAR, customer_key VARCHAR DEFAULT 'k', "
        "billing_type VARCHAR DEFAULT 'monthly', confirm_request_at TIMESTAMP, "
        "cancelled_at TIMESTAMP)"
    )
    con.executemany(
        "INSERT INTO marts.vas_orders_without_consent (order_id, msisdn_masked, product_code, "
        "product_name, sp_code, order_channel, requested_at, confirmed_at, charge_reminder_at, "
        "first_charged_at, lacks_confirmation, lacks_charge_reminder, violation) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        [list(row) for row in VAS_ORDERS],
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.suspensions_without_reminder (suspension_id VARCHAR, "
        "msisdn_masked VARCHAR, suspended_at TIMESTAMP, reminder_due_at TIMESTAMP, "
        "reminder_sent_at TIMESTAMP, reminder_notice_hours DOUBLE, restored_at TIMESTAMP, "
        "violation VARCHAR, customer_key VARCHAR DEFAULT 'k')"
    )
    con.executemany(
        "INSERT INTO marts.suspensions_without_reminder (suspension_id, msisdn_masked, "
        "suspended_at, reminder_due_at, reminder_sent_at, reminder_notice_hours, restored_at, "
        "violation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [list(row) for row in SUSPENSIONS],
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.billing_errors (dispute_id VARCHAR, "
        "msisdn_masked VARCHAR, bill_month DATE, item_code VARCHAR, verified_at TIMESTAMP, "
        "verified_error_amount DECIMAL(18, 2), violation VARCHAR DEFAULT 'verified_error', "
        "complaint_id VARCHAR, claimed_amount DECIMAL(18, 2), customer_key VARCHAR DEFAULT 'k')"
    )
    con.executemany(
        "INSERT INTO marts.billing_errors (dispute_id, msisdn_masked, bill_month, item_code, "
        "verified_at, verified_error_amount) VALUES ($1, $2, $3, $4, $5, $6)",
        [list(row) for row in BILLING_ERRORS],
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.payment_sms_violations (payment_id VARCHAR, "
        "msisdn_masked VARCHAR, paid_at TIMESTAMP, amount DECIMAL(18, 2), channel VARCHAR, "
        "confirm_deadline_at TIMESTAMP, confirm_sms_at TIMESTAMP, confirm_sms_seconds DOUBLE, "
        "violation VARCHAR, customer_key VARCHAR DEFAULT 'k')"
    )
    con.executemany(
        "INSERT INTO marts.payment_sms_violations (payment_id, msisdn_masked, paid_at, amount, "
        "channel, confirm_deadline_at, confirm_sms_at, confirm_sms_seconds, violation) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [list(row) for row in PAYMENT_SMS],
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.data_alert_violations (msisdn_masked VARCHAR, "
        "alert_month DATE, threshold_pct INTEGER, crossed_at TIMESTAMP, "
        "alert_deadline_at TIMESTAMP, alert_sent_at TIMESTAMP, alert_seconds DOUBLE, "
        "violation VARCHAR, customer_key VARCHAR DEFAULT 'k')"
    )
    con.executemany(
        "INSERT INTO marts.data_alert_violations (msisdn_masked, alert_month, threshold_pct, "
        "crossed_at, alert_deadline_at, alert_sent_at, alert_seconds, violation) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [list(row) for row in DATA_ALERTS],
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.tariff_recommendations (msisdn_masked VARCHAR, "
        "usage_month DATE, billed_plan_code VARCHAR, billed_plan_cost DECIMAL(18, 2), "
        "cheapest_plan_code VARCHAR, cheapest_plan_cost DECIMAL(18, 2), "
        "saving DECIMAL(18, 2), is_overpaying BOOLEAN, customer_key VARCHAR DEFAULT 'k', "
        "voice_minutes INTEGER DEFAULT 300, sms_count INTEGER DEFAULT 10, "
        "data_mb INTEGER DEFAULT 2048, saving_share DOUBLE)"
    )
    con.executemany(
        "INSERT INTO marts.tariff_recommendations (msisdn_masked, usage_month, "
        "billed_plan_code, billed_plan_cost, cheapest_plan_code, cheapest_plan_cost, saving, "
        "is_overpaying) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [list(row) for row in TARIFF],
    )
    con.execute("UPDATE marts.tariff_recommendations SET saving_share = saving / billed_plan_cost")
