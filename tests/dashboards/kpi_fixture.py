"""A serving copy with known KPI figures, for the overview, complaints and hotline pages.

``as_of`` is 2026-11-21 22:50, so the latest *complete* periods are the month 2026-10,
the week of Monday 2026-11-09 and the day 2026-11-20; 2026-11, the week of 11-16 and
11-21 are in progress. The catalogue is the real seed (names, units, targets); the figures
below are hand-made, and ``value``/``target``/``meets_target`` are derived the way
``marts.kpi_values`` derives them. The data-quality tables of ``serving_fixture`` are in
the copy too, so every page of the app runs on it.

Known answers (month 2026-10, everybody):
  first reply 48 h 95/100 = 95.0 %, target 100 %: a promise, so off target (red);
      2026-09 was 98 % → −3.0 pp. By channel: hall 100.0 %, hotline_10086 90.0 %;
      by category: billing 100.0 %, network_quality 87.5 %.
  complaint satisfaction 0/0: not assessed «--».   escalation 5/100 = 5.0 %, no target.
  hotline connection 945/1000 = 94.5 %, target 95 %: 0.5 pp short → near (amber);
      2026-09 95.0 % → −0.5 pp. Queue vip 545/600 = 90.8 %, billing 400/400 = 100.0 %.
  15-second answer 800/1000 = 80.0 %, target 85 %: 5 pp short → off target (red).
  ASA 18 000 s / 1 000 = 18.0 s ≤ 20 s → on target; 2026-09 19.5 s → −1.5 s.
  IVR self-service 400/1000 = 40.0 % (no queue or brand rows).
  billing error 1/20 000 = 0.005 % ≤ 0.01 % → on target (month rows only).
Other grains: first reply week 11-02 90.0 %, week 11-09 100.0 %, day 11-20 75.0 %;
  connection day 11-20 90.0 %.
Watchlist: C1 (late, −2.8 h), C2 (at risk, 9.2 h), C3 (waiting, 37.2 h); C4 is closed.
  Halls: C2 was handled in H1, C3 in H2; C1 (hotline) and C4 (online) have no hall.
Intervals on 11-20 (whole hotline): 09:00 short by 3 agents, 09:30 and 10:00 with 2 spare;
  11-19 09:00 exactly staffed; queue billing 11-20 09:00 short by 1.4.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import settings
from tests.dashboards.serving_fixture import build_serving_copy

TS = datetime.fromisoformat
SEED_CATALOG = settings.DBT_PROJECT_DIR / "seeds" / "kpi_catalog.csv"
AS_OF = "2026-11-21 22:50:00"
BUILT_AT = "2026-11-22 01:00:00"
RISK_HOURS = 12  # dbt var complaint_reply_risk_hours

FIRST_REPLY = "complaint_first_reply_48h"
CONNECTION = "hotline_connection_rate"

# fmt: off
# (kpi_id, grain, period_start, segment_type, segment_value, numerator, denominator)
KPI_ROWS = (
    (FIRST_REPLY, "month", "2026-09-01", "all", "all", 98, 100),
    (FIRST_REPLY, "month", "2026-10-01", "all", "all", 95, 100),
    (FIRST_REPLY, "month", "2026-11-01", "all", "all", 40, 40),
    (FIRST_REPLY, "month", "2026-10-01", "channel", "hall", 50, 50),
    (FIRST_REPLY, "month", "2026-10-01", "channel", "hotline_10086", 45, 50),
    (FIRST_REPLY, "month", "2026-10-01", "category", "billing", 60, 60),
    (FIRST_REPLY, "month", "2026-10-01", "category", "network_quality", 35, 40),
    (FIRST_REPLY, "week", "2026-11-02", "all", "all", 18, 20),
    (FIRST_REPLY, "week", "2026-11-09", "all", "all", 20, 20),
    (FIRST_REPLY, "week", "2026-11-16", "all", "all", 5, 5),
    (FIRST_REPLY, "day", "2026-11-20", "all", "all", 3, 4),
    (FIRST_REPLY, "day", "2026-11-21", "all", "all", 1, 1),
    ("complaint_resolved_15d", "month", "2026-09-01", "all", "all", 92, 100),
    ("complaint_resolved_15d", "month", "2026-10-01", "all", "all", 90, 100),
    ("complaint_satisfaction", "month", "2026-09-01", "all", "all", 49, 50),
    ("complaint_satisfaction", "month", "2026-10-01", "all", "all", 0, 0),
    ("complaint_escalation_rate", "month", "2026-10-01", "all", "all", 5, 100),
    (CONNECTION, "month", "2026-09-01", "all", "all", 950, 1000),
    (CONNECTION, "month", "2026-10-01", "all", "all", 945, 1000),
    (CONNECTION, "month", "2026-10-01", "queue", "billing", 400, 400),
    (CONNECTION, "month", "2026-10-01", "queue", "vip", 545, 600),
    (CONNECTION, "month", "2026-10-01", "brand", "gotone", 300, 300),
    (CONNECTION, "month", "2026-10-01", "brand", "mzone", 645, 700),
    (CONNECTION, "week", "2026-11-09", "all", "all", 190, 200),
    (CONNECTION, "day", "2026-11-20", "all", "all", 45, 50),
    ("hotline_answer_15s", "month", "2026-10-01", "all", "all", 800, 1000),
    ("hotline_answer_15s", "month", "2026-10-01", "queue", "billing", 380, 400),
    ("hotline_asa_seconds", "month", "2026-09-01", "all", "all", 19500, 1000),
    ("hotline_asa_seconds", "month", "2026-10-01", "all", "all", 18000, 1000),
    ("hotline_ivr_self_service_rate", "month", "2026-10-01", "all", "all", 400, 1000),
    ("billing_error_rate", "month", "2026-10-01", "all", "all", 1, 20000),
)

# (complaint_id, received_at, channel, category, urgency, phone, owner, hall id, hall,
#  summary) — all four in complaint_timelines; C1–C3 still await a first reply.
COMPLAINTS = (
    ("C1", "2026-11-19 20:00:00", "hotline_10086", "billing", "urgent", "138****0001", "张伟",
     None, None, '=HYPERLINK("http://x.example")'),
    ("C2", "2026-11-20 08:00:00", "hall", "network_quality", "normal", "139****0002", "李娜",
     "H1", "九州路营业厅", "<script>alert(1)</script>"),
    ("C3", "2026-11-21 12:00:00", "hall", "billing", "normal", "137****0003", "王芳",
     "H2", "滨江营业厅", "**话费** 多扣了"),
    ("C4", "2026-10-05 09:00:00", "online", "tariff", "normal", "136****0004", "刘洋",
     None, None, "套餐不合适"),
)

# (interval_start, queue, offered, answered, within_15s, abandoned, handle_seconds,
#  agents_on_shift, agents_needed)
INTERVALS = (
    ("2026-11-19 09:00:00", "all", 50, 50, 45, 0, 12000, 8.0, 8),
    ("2026-11-20 09:00:00", "all", 100, 95, 80, 5, 22800, 12.0, 15),
    ("2026-11-20 09:30:00", "all", 60, 60, 60, 0, 14400, 12.0, 10),
    ("2026-11-20 10:00:00", "all", 40, 40, 40, 0, 9600, 10.0, 8),
    ("2026-11-20 09:00:00", "billing", 30, 30, 25, 0, 7200, 3.6, 5),
)
# fmt: on


def build_kpi_serving_copy(data_dir: Path) -> Path:
    """The data-quality fixture plus the KPI marts, published under ``data_dir``."""
    path = build_serving_copy(data_dir)
    con = duckdb.connect(str(path))
    try:
        con.execute("DELETE FROM audit.build_info")
        con.execute("INSERT INTO audit.build_info VALUES ($1, $2)", (TS(BUILT_AT), TS(AS_OF)))
        _create_kpis(con)
        _create_complaints(con)
        _create_intervals(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def _create_kpis(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE marts.kpi_catalog AS
        SELECT * FROM read_csv($1, header = true, types = {'target': 'DOUBLE'})
        """,
        (str(SEED_CATALOG),),
    )
    con.execute(
        """
        CREATE TABLE marts.kpi_values (
            kpi_id VARCHAR, grain VARCHAR, period_start DATE, segment_type VARCHAR,
            segment_value VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE,
            target DOUBLE, meets_target BOOLEAN
        )
        """
    )
    con.executemany(
        "INSERT INTO marts.kpi_values (kpi_id, grain, period_start, segment_type, "
        "segment_value, numerator, denominator) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [list(row) for row in KPI_ROWS],
    )
    # As the mart does it: value NULL on a zero denominator, target and direction from
    # the catalogue.
    con.execute(
        """
        UPDATE marts.kpi_values AS k
        SET value = k.numerator / nullif(k.denominator, 0),
            target = c.target,
            meets_target = CASE
                WHEN k.denominator = 0 OR c.target IS NULL THEN NULL
                WHEN c.direction = 'higher_better' THEN k.numerator / k.denominator >= c.target
                ELSE k.numerator / k.denominator <= c.target
            END
        FROM marts.kpi_catalog AS c
        WHERE k.kpi_id = c.kpi_id
        """
    )


def _create_complaints(con: duckdb.DuckDBPyConnection) -> None:
    as_of = TS(AS_OF)
    timelines = []
    for (cid, received, channel, category, urgency, phone, owner, hall_id, hall,
         summary) in COMPLAINTS:  # fmt: skip
        received_at = TS(received)
        closed = cid == "C4"
        timelines.append(
            {
                "complaint_id": cid,
                "received_at": received_at,
                "channel": channel,
                "category": category,
                "urgency": urgency,
                "msisdn_masked": phone,
                "first_owner_name": owner,
                "hall_id": hall_id,
                "hall_name": hall,
                "status": "closed" if closed else "awaiting_reply",
                "first_reply_at": TS("2026-10-05 12:00:00") if closed else None,
                "hours_to_first_reply": 3.0 if closed else None,
                "reply_deadline_at": received_at + timedelta(hours=48),
                "first_closed_at": TS("2026-10-10 09:00:00") if closed else None,
                "resolve_deadline_at": received_at + timedelta(days=15),
                "first_reached_callback_at": TS("2026-10-11 10:00:00") if closed else None,
                "first_reached_callback_outcome": "satisfied" if closed else None,
                "first_callback_after_close_at": TS("2026-10-11 10:00:00") if closed else None,
                "escalations": 1 if closed else 0,
                "reopenings_after_close": 0,
                "is_repeat": closed,
                "summary": summary,
                "as_of": as_of,
            }
        )
    _create_table(con, "marts.complaint_timelines", timelines)
    keep = (
        "complaint_id", "received_at", "channel", "category", "urgency", "msisdn_masked",
        "first_owner_name", "hall_id", "hall_name", "reply_deadline_at",
    )  # fmt: skip
    watch = []
    for row in timelines:
        if row["first_reply_at"] is not None:
            continue
        hours_left = (row["reply_deadline_at"] - as_of).total_seconds() / 3600
        watch.append(
            {k: row[k] for k in keep}
            | {
                "hours_left": hours_left,
                "as_of": as_of,
                "is_breached": hours_left < 0,
                "is_at_risk": 0 <= hours_left <= RISK_HOURS,
            }
        )
    _create_table(con, "marts.complaint_reply_watchlist", watch)


def _create_intervals(con: duckdb.DuckDBPyConnection) -> None:
    rows = []
    for start, queue, offered, answered, within, abandoned, handle, agents, needed in INTERVALS:
        rows.append(
            {
                "interval_start": TS(start),
                "interval_date": TS(start).date(),
                "queue": queue,
                "offered_calls": offered,
                "answered_calls": answered,
                "answered_within_15s": within,
                "abandoned_calls": abandoned,
                "handle_seconds": float(handle),
                "mean_handle_seconds": handle / answered,
                "offered_erlangs": offered * handle / answered / 1800,
                "agents_on_shift": agents,
                "occupancy": handle / (agents * 1800),
                "agents_needed": needed,
                "agents_gap": agents - needed,
                "expected_service_level": 0.8,
            }
        )
    _create_table(con, "marts.hotline_intervals", rows)


def _create_table(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict]) -> None:
    frame = pd.DataFrame(rows)
    con.register("fixture_rows", frame)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM fixture_rows")
    con.unregister("fixture_rows")
