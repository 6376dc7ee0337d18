"""A small serving copy with known answers for the report tests.

The marts tables have the columns the dbt models publish (the interface the reports read);
only the columns the reports use are filled. Data as of 2026-11-02 23:50 (a Monday).

Known answers
- Daily briefing dated 2026-11-03 covers 2026-11-02, against 2026-11-01:
  complaint_first_reply_48h 9/10 = 90.00 % (target ≥ 100 %, off; day before 100 % → -10 pp)
  hotline_connection_rate 945/1000 = 94.50 % (≥ 95 %, off by 0.5 pp: inside the 1 pp margin)
  hotline_answer_15s 88/100 = 88.00 % (≥ 85 %, on; day before 80 % → +8 pp)
  hotline_abandon_rate 80/1000 = 8.00 % (≤ 5 %, off by 3 pp: alert)
  hotline_asa_seconds 1250/50 = 25.0 s (≤ 20 s, off by exactly the 5 s margin: no alert)
  hotline_aht_seconds 240.0 s (no target); rating_satisfaction 97/100 = 97.00 % (on, no day before)
  complaint_escalation_rate: rows on 2026-11-01 only → «--» on the day.
  Off target: 4. Segment rows and month-only KPIs must not show.
- Complaints without a first reply: C1 due 2026-11-03 10:00 (10.17 h left), C2 due
  2026-11-03 20:00 (20.17 h), C3 late since 2026-11-02 08:00, C4 due 2026-11-04 12:00 (36.17 h).
- Violations broken on 2026-11-02: VAS O1; double refund D1 (missing), D2 (short);
  suspensions none. In the whole copy: VAS 2, refunds 3, suspensions 1.
- Weekly dated 2026-11-02 covers the week of 2026-10-26 (8 weeks of trend from 2026-09-07).
- Monthly dated 2026-11-01 covers October: 九州路营业厅 (S1, S2), 滨江营业厅 (S4), hotline (S3).
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines import settings
from pipelines.reports.content import SEED_CATALOG

AS_OF = datetime(2026, 11, 2, 23, 50)
BUILT_AT = datetime(2026, 11, 3, 6, 5)
DAY = date(2026, 11, 2)
BEFORE = date(2026, 11, 1)
SCRIPT_SUMMARY = "<script>alert('x')</script>宽带断网"
FORMULA_SUMMARY = '=HYPERLINK("http://evil.example","点我")'
FORMULA_NAME = "=cmd|' /C calc'!A0"

MARTS = {
    "kpi_values": "kpi_id VARCHAR, grain VARCHAR, period_start DATE, segment_type VARCHAR, "
    "segment_value VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE, target DOUBLE, "
    "meets_target BOOLEAN",
    "kpi_catalog": "kpi_id VARCHAR, name_zh VARCHAR, name_en VARCHAR, domain VARCHAR, "
    "unit VARCHAR, direction VARCHAR, target DOUBLE, source VARCHAR, display_order INTEGER",
    "staff_evaluation_monthly": "month DATE, staff_id VARCHAR, staff_name VARCHAR, "
    "hall_id VARCHAR, hall_name VARCHAR, team VARCHAR, invitations BIGINT, "
    "valid_replies HUGEINT, code_1_replies HUGEINT, code_2_replies HUGEINT, "
    "code_3_replies HUGEINT, satisfaction_rate DOUBLE, satisfaction_wilson_lower DOUBLE, "
    "rank_in_team BIGINT, previous_month_satisfaction_rate DOUBLE, "
    "complaints_first_owned BIGINT, hotline_answered_calls HUGEINT, "
    "hotline_fcr_assessed HUGEINT, hotline_fcr_resolved HUGEINT, hotline_fcr_rate DOUBLE",
    "complaint_reply_watchlist": "complaint_id VARCHAR, received_at TIMESTAMP, "
    "channel VARCHAR, category VARCHAR, urgency VARCHAR, msisdn_masked VARCHAR, "
    "first_owner_staff_id VARCHAR, first_owner_name VARCHAR, hall_id VARCHAR, "
    "hall_name VARCHAR, reply_deadline_at TIMESTAMP, hours_left DOUBLE, as_of TIMESTAMP, "
    "is_breached BOOLEAN, is_at_risk BOOLEAN",
    "complaint_timelines": "complaint_id VARCHAR, received_at TIMESTAMP, received_on DATE, "
    "channel VARCHAR, category VARCHAR, urgency VARCHAR, msisdn_masked VARCHAR, "
    "first_owner_staff_id VARCHAR, first_owner_name VARCHAR, hall_id VARCHAR, "
    "hall_name VARCHAR, status VARCHAR, first_reply_at TIMESTAMP, hours_to_first_reply DOUBLE, "
    "reply_deadline_at TIMESTAMP, first_closed_at TIMESTAMP, resolve_deadline_at TIMESTAMP, "
    "first_reached_callback_at TIMESTAMP, first_reached_callback_outcome VARCHAR, "
    "first_callback_after_close_at TIMESTAMP, escalations HUGEINT, "
    "reopenings_after_close HUGEINT, is_repeat BOOLEAN, summary VARCHAR, as_of TIMESTAMP",
    "vas_orders_without_consent": "order_id VARCHAR, customer_key VARCHAR, "
    "msisdn_masked VARCHAR, product_code VARCHAR, product_name VARCHAR, sp_code VARCHAR, "
    "billing_type VARCHAR, order_channel VARCHAR, requested_at TIMESTAMP, "
    "confirm_request_at TIMESTAMP, confirmed_at TIMESTAMP, charge_reminder_at TIMESTAMP, "
    "first_charged_at TIMESTAMP, cancelled_at TIMESTAMP, lacks_confirmation BOOLEAN, "
    "lacks_charge_reminder BOOLEAN, violation VARCHAR",
    "double_refund_violations": "dispute_id VARCHAR, customer_key VARCHAR, "
    "msisdn_masked VARCHAR, complaint_id VARCHAR, bill_month DATE, item_code VARCHAR, "
    "claimed_amount DECIMAL(18,2), verified_at TIMESTAMP, verified_error_amount DECIMAL(18,2), "
    "required_refund_amount DECIMAL(18,2), refund_deadline_at TIMESTAMP, "
    "refunded_at TIMESTAMP, refund_amount DECIMAL(18,2), refund_shortfall DECIMAL(19,2), "
    "days_to_refund DOUBLE, violation VARCHAR",
    "suspensions_without_reminder": "suspension_id VARCHAR, customer_key VARCHAR, "
    "msisdn_masked VARCHAR, suspended_at TIMESTAMP, reminder_due_at TIMESTAMP, "
    "reminder_sent_at TIMESTAMP, reminder_notice_hours DOUBLE, restored_at TIMESTAMP, "
    "violation VARCHAR",
}

# (kpi_id, period_start, segment_type, numerator, denominator)
DAY_ROWS = [
    ("complaint_first_reply_48h", DAY, "all", 9, 10),
    ("complaint_first_reply_48h", BEFORE, "all", 10, 10),
    ("complaint_first_reply_48h", DAY, "channel", 1, 2),
    ("complaint_escalation_rate", BEFORE, "all", 1, 10),
    ("hotline_connection_rate", DAY, "all", 945, 1000),
    ("hotline_answer_15s", DAY, "all", 88, 100),
    ("hotline_answer_15s", BEFORE, "all", 80, 100),
    ("hotline_abandon_rate", DAY, "all", 80, 1000),
    ("hotline_asa_seconds", DAY, "all", 1250, 50),
    ("hotline_asa_seconds", BEFORE, "all", 900, 50),
    ("hotline_aht_seconds", DAY, "all", 12000, 50),
    ("rating_satisfaction", DAY, "all", 97, 100),
]
WEEK_START = date(2026, 10, 26)
TREND_START = date(2026, 9, 7)
# kpi_id -> numerators over 100 for the 8 weeks from TREND_START (None: no row that week)
WEEK_SERIES = {
    "complaint_first_reply_48h": [100, 100, 98, 99, 100, 97, 100, 96],
    "hotline_answer_15s": [80, 82, 84, 86, None, 85, 83, 87],
    "rating_satisfaction": [95, 96, 94, 97, 96, 95, 98, 96],
}
WEEK_ASA = [18.0, 19.5, 21.0, 20.0, 22.5, 19.0, 18.5, 23.0]


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


WATCHLIST = [
    ("C1", ts("2026-11-01 10:00"), "hotline_10086", "network_quality", "138****0001", "张三",
     "九州路营业厅", SCRIPT_SUMMARY),
    ("C2", ts("2026-11-01 20:00"), "hall", "billing", "139****0002", "李四", "滨江营业厅",
     FORMULA_SUMMARY),
    ("C3", ts("2026-10-31 08:00"), "online", "tariff", "137****0003", "张三", "九州路营业厅",
     "套餐资费不符"),
    ("C4", ts("2026-11-02 12:00"), "hall", "other", "136****0004", "李四", "滨江营业厅",
     "其他问题"),
]  # fmt: skip

STAFF = [
    # month, staff_id, name, hall_id, hall_name, team, inv, valid, c1, c2, c3, rate, wilson,
    # rank, prev, complaints, answered, fcr_rate
    (date(2026, 10, 1), "S1", "张三", "H1", "九州路营业厅", "hall", 50, 40, 36, 3, 1, 0.9,
     0.7695, 1, 0.85, 2, None, None),
    (date(2026, 10, 1), "S2", FORMULA_NAME, "H1", "九州路营业厅", "hall", 20, 10, 7, 2, 1, 0.7,
     0.3968, None, None, 0, None, None),
    (date(2026, 10, 1), "S4", "赵六", "H2", "滨江营业厅", "hall", 40, 35, 35, 0, 0, 1.0,
     0.9011, 1, 0.97, 1, None, None),
    (date(2026, 10, 1), "S3", "王五", None, None, "hotline", 70, 60, 54, 4, 2, 0.9, 0.7988,
     1, 0.88, 3, 300, 0.8),
    (date(2026, 9, 1), "S1", "张三", "H1", "九州路营业厅", "hall", 30, 20, 17, 2, 1, 0.85,
     0.6396, None, None, 1, None, None),
]  # fmt: skip


def _catalog_rows() -> list[list[object]]:
    with SEED_CATALOG.open(encoding="utf-8", newline="") as handle:
        return [
            [
                r["kpi_id"],
                r["name_zh"],
                r["name_en"],
                r["domain"],
                r["unit"],
                r["direction"],
                float(r["target"]) if r["target"] else None,
                r["source"],
                int(r["display_order"]),
            ]
            for r in csv.DictReader(handle)
        ]


def build_serving_copy(data_dir: Path, *, with_catalog: bool = True) -> Path:
    """Write ``serving.duckdb`` under ``data_dir`` (which must be ``MANYI_DATA_DIR``)."""
    path = settings.Paths(data_dir).serving
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute("CREATE SCHEMA audit")
        con.execute("CREATE SCHEMA marts")
        con.execute(
            "CREATE TABLE audit.build_info AS SELECT 'run-1'::VARCHAR AS run_id, "
            "?::TIMESTAMP AS built_at, ?::TIMESTAMP AS as_of",
            [BUILT_AT, AS_OF],
        )
        for table, columns in MARTS.items():
            con.execute(f"CREATE TABLE marts.{table} ({columns})")
        catalog = _catalog_rows()
        if with_catalog:
            con.executemany("INSERT INTO marts.kpi_catalog VALUES (?,?,?,?,?,?,?,?,?)", catalog)
        else:
            con.execute("DROP TABLE marts.kpi_catalog")
        _insert_kpis(con, {r[0]: r for r in catalog})
        _insert_complaints(con)
        _insert_violations(con)
        con.executemany(
            "INSERT INTO marts.staff_evaluation_monthly (month, staff_id, staff_name, hall_id, "
            "hall_name, team, invitations, valid_replies, code_1_replies, code_2_replies, "
            "code_3_replies, satisfaction_rate, satisfaction_wilson_lower, rank_in_team, "
            "previous_month_satisfaction_rate, complaints_first_owned, hotline_answered_calls, "
            "hotline_fcr_rate) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            STAFF,
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp.replace(path)
    return path


def _kpi_row(catalog: dict, kpi_id: str, grain: str, start: date, segment: str, num, den):
    target, direction = catalog[kpi_id][6], catalog[kpi_id][5]
    value = num / den if den else None
    meets = None
    if value is not None and target is not None:
        meets = value >= target if direction == "higher_better" else value <= target
    segment_value = "all" if segment == "all" else "hall"
    return (kpi_id, grain, start, segment, segment_value, num, den, value, target, meets)


def _insert_kpis(con: duckdb.DuckDBPyConnection, catalog: dict) -> None:
    rows = [_kpi_row(catalog, k, "day", d, s, n, m) for k, d, s, n, m in DAY_ROWS]
    weeks = [TREND_START + timedelta(weeks=n) for n in range(8)]
    for kpi_id, series in WEEK_SERIES.items():
        rows += [
            _kpi_row(catalog, kpi_id, "week", week, "all", num, 100)
            for week, num in zip(weeks, series, strict=True)
            if num is not None
        ]
    rows += [
        _kpi_row(catalog, "hotline_asa_seconds", "week", week, "all", asa * 100, 100)
        for week, asa in zip(weeks, WEEK_ASA, strict=True)
    ]
    rows.append(
        _kpi_row(catalog, "billing_error_rate", "month", date(2026, 10, 1), "all", 3, 10000)
    )
    con.executemany("INSERT INTO marts.kpi_values VALUES (?,?,?,?,?,?,?,?,?,?)", rows)


def _insert_complaints(con: duckdb.DuckDBPyConnection) -> None:
    for cid, received, channel, category, phone, owner, hall, summary in WATCHLIST:
        deadline = received + timedelta(hours=48)
        hours_left = (deadline - AS_OF).total_seconds() / 3600
        con.execute(
            "INSERT INTO marts.complaint_reply_watchlist (complaint_id, received_at, channel, "
            "category, urgency, msisdn_masked, first_owner_name, hall_name, reply_deadline_at, "
            "hours_left, as_of, is_breached, is_at_risk) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [cid, received, channel, category, "normal", phone, owner, hall, deadline,
             hours_left, AS_OF, deadline < AS_OF, deadline >= AS_OF and hours_left <= 12],
        )  # fmt: skip
        con.execute(
            "INSERT INTO marts.complaint_timelines (complaint_id, received_at, msisdn_masked, "
            "status, summary, as_of) VALUES (?,?,?,?,?,?)",
            [cid, received, phone, "open", summary, AS_OF],
        )


def _insert_violations(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(
        "INSERT INTO marts.vas_orders_without_consent (order_id, msisdn_masked, product_name, "
        "sp_code, order_channel, first_charged_at, violation) VALUES (?,?,?,?,?,?,?)",
        [
            ("O1", "135****0011", "视频彩铃", "SP01", "sms", ts("2026-11-02 09:00"),
             "no_confirmation"),
            ("O2", "135****0012", "游戏包", "SP02", "app", ts("2026-11-01 09:00"),
             "no_charge_reminder"),
        ],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO marts.double_refund_violations (dispute_id, msisdn_masked, item_code, "
        "verified_error_amount, required_refund_amount, refund_deadline_at, refunded_at, "
        "refund_amount, violation) VALUES (?,?,?,?,?,?,?,?,?)",
        [
            ("D1", "133****0021", "data", 5.00, 10.00, ts("2026-11-02 12:00"), None, None,
             "missing"),
            ("D2", "133****0022", "voice", 3.50, 7.00, ts("2026-11-05 09:00"),
             ts("2026-11-02 10:00"), 3.50, "short"),
            ("D3", "133****0023", "sms", 1.00, 2.00, ts("2026-10-20 09:00"), None, None,
             "missing"),
        ],
    )  # fmt: skip
    con.execute(
        "INSERT INTO marts.suspensions_without_reminder (suspension_id, msisdn_masked, "
        "suspended_at, violation) VALUES ('P1', '131****0031', '2026-10-30 10:00', 'no_reminder')"
    )
