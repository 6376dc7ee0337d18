"""What each report says: queries on the serving copy, turned into plain data.

Reports read only ``serving.duckdb`` (never the warehouse). One report's queries share one
read-only connection, opened just for them and closed at once, so that all its numbers come
from the same build even if the pipeline swaps in a new file meanwhile (the old file stays
readable through the open handle) and no reader is left holding the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from pipelines import settings
from pipelines.policy import dbt_var

SEED_CATALOG = settings.DBT_PROJECT_DIR / "seeds" / "kpi_catalog.csv"
# File functions (read_csv, ATTACH, …) stay off: a report query can reach nothing but this file.
_CONNECT_CONFIG = {"enable_external_access": False}


class ServingUnavailable(RuntimeError):
    """No serving copy has been published yet."""


@contextmanager
def serving() -> Iterator[duckdb.DuckDBPyConnection]:
    path = settings.paths().serving
    if not path.exists():
        raise ServingUnavailable(f"no serving copy at {path}: has a build been published?")
    con = duckdb.connect(str(path), read_only=True, config=_CONNECT_CONFIG)
    try:
        yield con
    finally:
        con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


@dataclass(frozen=True)
class Kpi:
    kpi_id: str
    name_zh: str
    name_en: str
    domain: str
    unit: str
    direction: str
    target: float | None
    display_order: int

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en

    def misses_by(self, value: float, margin: float) -> bool:
        """Whether ``value`` is worse than the target by more than ``margin``."""
        if self.target is None:
            return False
        if self.direction == "higher_better":
            return value < self.target - margin
        return value > self.target + margin


def catalog(con: duckdb.DuckDBPyConnection) -> dict[str, Kpi]:
    """The KPI catalogue, in display order: the published table, else the dbt seed file."""
    if table_exists(con, "marts", "kpi_catalog"):
        entries = rows(con, "SELECT * FROM marts.kpi_catalog")
    else:
        with SEED_CATALOG.open(encoding="utf-8", newline="") as handle:
            entries = list(csv.DictReader(handle))
    kpis = [
        Kpi(
            kpi_id=e["kpi_id"],
            name_zh=e["name_zh"],
            name_en=e["name_en"],
            domain=e["domain"],
            unit=e["unit"],
            direction=e["direction"],
            target=None if e["target"] in (None, "") else float(e["target"]),
            display_order=int(e["display_order"]),
        )
        for e in entries
    ]
    return {k.kpi_id: k for k in sorted(kpis, key=lambda k: (k.display_order, k.kpi_id))}


@dataclass(frozen=True)
class Build:
    """When the serving copy was built and up to when its data reaches."""

    as_of: datetime | None
    built_at: datetime | None


def build_info(con: duckdb.DuckDBPyConnection) -> Build:
    if not table_exists(con, "audit", "build_info"):
        return Build(None, None)
    found = rows(con, "SELECT as_of, built_at FROM audit.build_info ORDER BY built_at DESC LIMIT 1")
    return Build(found[0]["as_of"], found[0]["built_at"]) if found else Build(None, None)


@dataclass(frozen=True)
class KpiFigure:
    kpi: Kpi
    value: float | None
    previous: float | None
    meets_target: bool | None
    denominator: float | None


@dataclass(frozen=True)
class Listing:
    """Rows of one list (complaints due, a violation list), columns named as in the mart;
    ``total`` counts the list's rows in the whole serving copy, not only these."""

    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    total: int


def _figures(
    con: duckdb.DuckDBPyConnection, kpis: dict[str, Kpi], grain: str, period: date, before: date
) -> list[KpiFigure]:
    """Every KPI that has ``grain`` rows at all, for ``period`` against ``before`` (segment all).

    A KPI without a row for the period is kept, with no value: «--», not assessed.
    """
    found = rows(
        con,
        "SELECT kpi_id, period_start, value, meets_target, denominator FROM marts.kpi_values "
        "WHERE grain = ? AND segment_type = 'all' AND period_start IN (?, ?)",
        [grain, period, before],
    )
    with_grain = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT kpi_id FROM marts.kpi_values WHERE grain = ?", [grain]
        ).fetchall()
    }
    current = {r["kpi_id"]: r for r in found if r["period_start"] == period}
    previous = {r["kpi_id"]: r for r in found if r["period_start"] == before}
    figures = []
    for kpi in kpis.values():
        if kpi.kpi_id not in with_grain:
            continue
        now = current.get(kpi.kpi_id, {})
        figures.append(
            KpiFigure(
                kpi=kpi,
                value=now.get("value"),
                previous=previous.get(kpi.kpi_id, {}).get("value"),
                meets_target=now.get("meets_target"),
                denominator=now.get("denominator"),
            )
        )
    return figures


@dataclass(frozen=True)
class DailyData:
    report_date: date
    day: date
    build: Build
    kpis: list[KpiFigure]
    complaints: Listing
    violations: list[Listing]


COMPLAINT_COLUMNS = (
    "complaint_id",
    "received_at",
    "channel",
    "category",
    "urgency",
    "msisdn_masked",
    "first_owner_name",
    "hall_name",
    "reply_deadline_at",
    "hours_left",
    "is_breached",
    "summary",
)


def unanswered_complaints(
    con: duckdb.DuckDBPyConnection, condition: str, params: Sequence[object]
) -> list[dict[str, Any]]:
    """Watchlist rows (no first reply yet) meeting ``condition``, with their summary:
    those still inside their 48 h first (they can be saved), then the late ones."""
    return rows(
        con,
        f"SELECT {', '.join(f'w.{c}' for c in COMPLAINT_COLUMNS[:-1])}, t.summary "
        "FROM marts.complaint_reply_watchlist AS w "
        "LEFT JOIN marts.complaint_timelines AS t ON w.complaint_id = t.complaint_id "
        f"WHERE {condition} ORDER BY w.is_breached, w.reply_deadline_at, w.complaint_id",
        params,
    )


@dataclass(frozen=True)
class ViolationList:
    """A compliance list of the billing marts and the time its violation became a fact."""

    table: str
    key: str
    # The refund promise is broken when the refund comes short or the deadline passes,
    # whichever is first; the other lists' violation happens at the charge / suspension.
    broken_at: str
    columns: tuple[str, ...]


VIOLATION_LISTS = (
    ViolationList(
        "vas_orders_without_consent",
        "order_id",
        "first_charged_at",
        (
            "order_id",
            "msisdn_masked",
            "product_name",
            "sp_code",
            "order_channel",
            "first_charged_at",
            "violation",
        ),
    ),
    ViolationList(
        "double_refund_violations",
        "dispute_id",
        "least(coalesce(refunded_at, refund_deadline_at), refund_deadline_at)",
        (
            "dispute_id",
            "msisdn_masked",
            "item_code",
            "verified_error_amount",
            "required_refund_amount",
            "refund_amount",
            "refund_deadline_at",
            "refunded_at",
            "violation",
        ),
    ),
    ViolationList(
        "suspensions_without_reminder",
        "suspension_id",
        "suspended_at",
        (
            "suspension_id",
            "msisdn_masked",
            "suspended_at",
            "reminder_sent_at",
            "reminder_notice_hours",
            "violation",
        ),
    ),
)


def daily(report_date: date) -> DailyData:
    """每日简报 sent on ``report_date``: the day before it, against the day before that."""
    day = report_date - timedelta(days=1)
    with serving() as con:
        kpis = _figures(con, catalog(con), "day", day, day - timedelta(days=1))
        # Red first, then catalogue order (sorted() is stable).
        kpis = sorted(kpis, key=lambda f: f.meets_target is not False)
        # Open complaints whose 48 h run out by the end of the report date.
        due = unanswered_complaints(
            con, "w.reply_deadline_at < ?", [report_date + timedelta(days=1)]
        )
        complaints = Listing("complaints", COMPLAINT_COLUMNS, due, total=len(due))
        violations = [
            Listing(
                v.table,
                v.columns,
                rows(
                    con,
                    f"SELECT {', '.join(v.columns)} FROM marts.{v.table} "
                    f"WHERE CAST({v.broken_at} AS DATE) = ? ORDER BY {v.broken_at} DESC, {v.key}",
                    [day],
                ),
                total=con.execute(f"SELECT count(*) FROM marts.{v.table}").fetchone()[0],
            )
            for v in VIOLATION_LISTS
        ]
        return DailyData(report_date, day, build_info(con), kpis, complaints, violations)


@dataclass(frozen=True)
class WeeklyData:
    report_date: date
    week_start: date
    build: Build
    kpis: list[KpiFigure]
    weeks: list[date]
    # kpi_id -> value per week of ``weeks`` (None where not assessed)
    trends: dict[str, list[float | None]]


def weekly(report_date: date, trend_weeks: int) -> WeeklyData:
    """周报 sent on ``report_date``: the last ISO week (Monday–Sunday) that ended before it."""
    week_start = report_date - timedelta(days=report_date.weekday() + 7)
    weeks = [week_start - timedelta(weeks=n) for n in range(trend_weeks - 1, -1, -1)]
    with serving() as con:
        kpis = _figures(con, catalog(con), "week", week_start, week_start - timedelta(weeks=1))
        found = rows(
            con,
            "SELECT kpi_id, period_start, value FROM marts.kpi_values "
            "WHERE grain = 'week' AND segment_type = 'all' AND period_start BETWEEN ? AND ?",
            [weeks[0], week_start],
        )
        values = {(r["kpi_id"], r["period_start"]): r["value"] for r in found}
        trends = {f.kpi.kpi_id: [values.get((f.kpi.kpi_id, w)) for w in weeks] for f in kpis}
        return WeeklyData(report_date, week_start, build_info(con), kpis, weeks, trends)


STAFF_COLUMNS = (
    "staff_id",
    "staff_name",
    "team",
    "invitations",
    "valid_replies",
    "code_1_replies",
    "code_2_replies",
    "code_3_replies",
    "satisfaction_rate",
    "satisfaction_wilson_lower",
    "rank_in_team",
    "previous_month_satisfaction_rate",
    "complaints_first_owned",
    "hotline_answered_calls",
    "hotline_fcr_rate",
)


@dataclass(frozen=True)
class HallGroup:
    """The staff of one hall, or of one team without a hall (hotline agents)."""

    hall_id: str | None
    hall_name: str | None
    team: str | None
    staff: list[dict[str, Any]]

    def total(self, column: str) -> int:
        return sum(int(s[column] or 0) for s in self.staff)

    @property
    def satisfaction_rate(self) -> float | None:
        valid = self.total("valid_replies")
        return self.total("code_1_replies") / valid if valid else None


@dataclass(frozen=True)
class MonthlyData:
    report_date: date
    month: date
    build: Build
    halls: list[HallGroup]
    # Valid replies a staff member needs to be ranked (the dbt var the mart was built with).
    rank_min_valid_replies: int


def rank_min_valid_replies() -> int:
    return int(dbt_var("staff_rank_min_valid_replies"))


def monthly(report_date: date, halls: Sequence[str] | None = None) -> MonthlyData:
    """月度员工评价表 sent on ``report_date``: the calendar month before it; with ``halls``,
    only those halls' staff (a hall manager's mail: no staff without a hall either)."""
    month = (report_date.replace(day=1) - timedelta(days=1)).replace(day=1)
    with serving() as con:
        staff = rows(
            con,
            f"SELECT hall_id, hall_name, {', '.join(STAFF_COLUMNS)} "
            "FROM marts.staff_evaluation_monthly "
            "WHERE month = ? AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], hall_id)) "
            "ORDER BY hall_id NULLS LAST, team, rank_in_team NULLS LAST, "
            "satisfaction_wilson_lower DESC NULLS LAST, staff_id",
            [month, halls, halls],
        )
        build = build_info(con)
    groups: dict[tuple[str | None, str | None], HallGroup] = {}
    for member in staff:
        # Staff without a hall (hotline agents, back office) are grouped by team instead.
        key = (member["hall_id"], None if member["hall_id"] else member["team"])
        group = groups.setdefault(key, HallGroup(key[0], member["hall_name"], key[1], []))
        group.staff.append(member)
    return MonthlyData(report_date, month, build, list(groups.values()), rank_min_valid_replies())


def default_report_date(today: date) -> date:
    """The report date of a run nobody scheduled: the day after the data's last day.

    So a preview or a run from the UI shows the latest data (the demo data ends in the
    past); never later than ``today``. Scheduled runs use their tick's date instead.
    """
    try:
        with serving() as con:
            as_of = build_info(con).as_of
    except ServingUnavailable:
        return today
    if as_of is None:
        return today
    return min(today, as_of.date() + timedelta(days=1))
