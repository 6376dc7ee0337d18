"""The three scheduled reports as documents (HTML + text), charts and Excel attachments."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pipelines.reports import charts, workbook
from pipelines.reports.config import ReportsConfig
from pipelines.reports.content import (
    STAFF_COLUMNS,
    Build,
    DailyData,
    HallGroup,
    KpiFigure,
    Listing,
    MonthlyData,
    WeeklyData,
)
from pipelines.reports.document import (
    Block,
    Cell,
    Document,
    Image,
    Section,
    Table,
    cell,
    shorten,
)
from pipelines.reports.labels import Text

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SUMMARY_CHARS = 60
# The monthly mail lists each team's best this many ranks; the attachment has everyone.
TOP_RANKS = 3
CHART_WIDTH = 860

# How a mart column is shown in Excel; columns not listed are text or whole numbers.
EXCEL_FORMATS = {
    "received_at": "datetime",
    "reply_deadline_at": "datetime",
    "first_charged_at": "datetime",
    "refund_deadline_at": "datetime",
    "refunded_at": "datetime",
    "suspended_at": "datetime",
    "reminder_sent_at": "datetime",
    "hours_left": "decimal",
    "reminder_notice_hours": "decimal",
    "verified_error_amount": "money",
    "required_refund_amount": "money",
    "refund_amount": "money",
    "satisfaction_rate": "percent",
    "satisfaction_wilson_lower": "percent",
    "previous_month_satisfaction_rate": "percent",
    "hotline_fcr_rate": "percent",
}
# Columns holding a contract code, and the label kind that names it.
CODE_COLUMNS = {
    "channel": "channel",
    "category": "category",
    "urgency": "urgency",
    "order_channel": "order_channel",
    "violation": "violation",
    "team": "team",
}
# The columns of the complaints table in the mail body (the attachment has them all).
COMPLAINT_BODY_COLUMNS = (
    "complaint_id",
    "received_at",
    "category",
    "msisdn_masked",
    "first_owner_name",
    "hall_name",
    "reply_deadline_at",
    "hours_left",
    "summary",
)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


@dataclass(frozen=True)
class Rendered:
    """A mail ready to address: what it is about (report, period), subject and content."""

    report: str
    period: str
    subject: str
    document: Document
    attachments: tuple[Attachment, ...] = ()


def daily(data: DailyData, config: ReportsConfig) -> Rendered:
    text = Text(config.language)
    day = data.day.isoformat()
    red = sum(1 for f in data.kpis if f.meets_target is False)
    filename = text("file.daily", period=day)
    document = Document(
        title=f"{text('daily.title')} · {day}",
        meta=_meta(data.build, text),
        warning=_stale(data.build, data.day, text),
        sections=[
            Section(
                text("section.kpis_day", day=day),
                [text("text.kpis_red_first"), _kpi_table(data.kpis, "col.vs_previous_day", text)],
            ),
            Section(
                text("section.complaints_due"),
                _complaints_due(data.complaints, config.top_rows, text),
            ),
            Section(
                text("section.violations", day=day),
                _violations(data.violations, config.top_rows, text),
            ),
        ],
        footer=[text("footer.attachment", name=filename), text("footer")],
        language=config.language,
    )
    sheets = [
        _sheet(text("sheet.complaints"), data.complaints, text),
        *(_sheet(text.code("list", v.name), v, text) for v in data.violations),
    ]
    return Rendered(
        report="daily",
        period=day,
        subject=_subject(config, text("daily.title"), day, red, text),
        document=document,
        attachments=(Attachment(filename, workbook.build(sheets), *XLSX),),
    )


def _complaints_due(complaints: Listing, top_rows: int, text: Text) -> list[Block]:
    """Those still inside their 48 h (they can be saved today); the late ones are counted."""
    due = [r for r in complaints.rows if not r["is_breached"]]
    late = len(complaints.rows) - len(due)
    blocks: list[Block] = []
    if due:
        blocks.append(
            Table(
                tuple(text(f"col.{c}") for c in COMPLAINT_BODY_COLUMNS),
                [_row(r, COMPLAINT_BODY_COLUMNS, text) for r in due[:top_rows]],
            )
        )
        blocks += _more(min(top_rows, len(due)), len(due), text)
    else:
        blocks.append(text("text.none_due"))
    if late:
        blocks.append(text("text.overdue", count=late))
    return blocks


def _violations(lists: list[Listing], top_rows: int, text: Text) -> list[Block]:
    """How many per list that day and in all, then the day's first rows of each list."""
    blocks: list[Block] = [
        Table(
            (text("col.list"), text("col.on_day"), text("col.total")),
            [
                (
                    cell(text.code("list", v.name)),
                    cell(len(v.rows), "bad" if v.rows else None, numeric=True),
                    cell(v.total, numeric=True),
                )
                for v in lists
            ],
        )
    ]
    for listing in lists:
        if listing.rows:
            blocks.append(text.code("list", listing.name))
            blocks.append(
                Table(
                    tuple(text(f"col.{c}") for c in listing.columns),
                    [_row(r, listing.columns, text) for r in listing.rows[:top_rows]],
                )
            )
            blocks += _more(min(top_rows, len(listing.rows)), len(listing.rows), text)
    if not any(v.rows for v in lists):
        blocks.append(text("text.no_violations"))
    return blocks


def _sheet(name: str, listing: Listing, text: Text) -> workbook.Sheet:
    return workbook.Sheet(
        name,
        [text(f"col.{c}") for c in listing.columns],
        [_excel_row(r, listing.columns, text) for r in listing.rows],
        [EXCEL_FORMATS.get(c) for c in listing.columns],
    )


def weekly(data: WeeklyData, config: ReportsConfig) -> Rendered:
    text = Text(config.language)
    end = data.week_start + timedelta(days=6)
    period = text("period.week", start=data.week_start.isoformat(), end=end.isoformat())
    off_target = [f for f in data.kpis if f.meets_target is False]
    summary: Block = (
        _kpi_table(off_target, "col.vs_previous_week", text)
        if off_target
        else text("text.all_on_target")
    )
    domains: dict[str, list[KpiFigure]] = {}
    for figure in data.kpis:
        domains.setdefault(figure.kpi.domain, []).append(figure)
    document = Document(
        title=f"{text('weekly.title')} · {period}",
        meta=_meta(data.build, text),
        warning=_stale(data.build, end, text),
        sections=[
            Section(text("section.week_off_target"), [summary]),
            *(_domain_section(d, figures, data, text) for d, figures in domains.items()),
        ],
        footer=[text("footer")],
        language=config.language,
    )
    return Rendered(
        report="weekly",
        period=data.week_start.isoformat(),
        subject=_subject(config, text("weekly.title"), period, len(off_target), text),
        document=document,
    )


def _domain_section(domain: str, figures: list[KpiFigure], data: WeeklyData, text: Text) -> Section:
    label = text.code("domain", domain)
    chart = charts.domain_trends(figures, data.weeks, data.trends, text.language)
    return Section(
        label,
        [
            _kpi_table(figures, "col.vs_previous_week", text),
            Image(
                cid=f"trend-{domain}.{data.week_start.isoformat()}@manyi",
                png=chart,
                alt=f"{label} · {text('section.trends', weeks=len(data.weeks))}",
                width=CHART_WIDTH,
            ),
        ],
    )


HALL_SUMMARY_COLUMNS = (
    "hall",
    "staff_count",
    "invitations",
    "valid_replies",
    "code_1_replies",
    "code_3_replies",
    "satisfaction_rate",
)
TOP_STAFF_COLUMNS = ("team", "rank_in_team", "staff_name", "hall", "valid_replies")


def monthly(data: MonthlyData, config: ReportsConfig) -> Rendered:
    text = Text(config.language)
    month = text("period.month", year=data.month.year, month=data.month.month)
    period = data.month.strftime("%Y-%m")
    headers = tuple(text(f"col.{c}") for c in HALL_SUMMARY_COLUMNS)
    summary = [
        (
            _hall_label(g, text),
            len(g.staff),
            g.total("invitations"),
            g.total("valid_replies"),
            g.total("code_1_replies"),
            g.total("code_3_replies"),
            g.satisfaction_rate,
        )
        for g in data.halls
    ]
    body: list[Block] = [
        text("text.monthly_intro", month=month, min_replies=data.rank_min_valid_replies)
    ]
    if summary:
        body.append(
            Table(
                headers,
                [
                    (
                        cell(r[0]),
                        *(cell(v, numeric=True) for v in r[1:6]),
                        cell(text.value(r[6], "ratio"), numeric=True),
                    )
                    for r in summary
                ],
            )
        )
    else:
        body.append(text("text.no_staff"))
    sections = [Section(text("section.halls"), body)]
    top = _top_staff(data.halls, text)
    if top:
        title = text("section.top_staff", top=TOP_RANKS, min_replies=data.rank_min_valid_replies)
        sections.append(Section(title, [top]))
    filename = text("file.monthly", period=period)
    sheets = [
        workbook.Sheet(text("sheet.summary"), headers, summary, [None] * 6 + ["percent"]),
        *(
            workbook.Sheet(
                _hall_label(g, text),
                [text(f"col.{c}") for c in STAFF_COLUMNS],
                [_excel_row(s, STAFF_COLUMNS, text) for s in g.staff],
                [EXCEL_FORMATS.get(c) for c in STAFF_COLUMNS],
            )
            for g in data.halls
        ),
    ]
    document = Document(
        title=f"{text('monthly.title')} · {month}",
        meta=_meta(data.build, text),
        warning=_stale(data.build, _month_end(data.month), text),
        sections=sections,
        footer=[text("footer.attachment", name=filename), text("footer")],
        language=config.language,
    )
    return Rendered(
        report="monthly",
        period=period,
        subject=f"{config.subject_prefix}{text('monthly.title')} {month}",
        document=document,
        attachments=(Attachment(filename, workbook.build(sheets), *XLSX),),
    )


def _top_staff(halls: list[HallGroup], text: Text) -> Table | None:
    """Each team's first ranks (ranks are per team, across halls)."""
    top = sorted(
        (
            member | {"hall": _hall_label(group, text)}
            for group in halls
            for member in group.staff
            if member["rank_in_team"] is not None and member["rank_in_team"] <= TOP_RANKS
        ),
        key=lambda m: (m["team"], m["rank_in_team"], m["staff_id"]),
    )
    if not top:
        return None
    return Table(
        (
            *(text(f"col.{c}") for c in TOP_STAFF_COLUMNS),
            text("col.satisfaction_rate"),
            text("col.satisfaction_wilson_lower"),
        ),
        [
            (
                *_row(m, TOP_STAFF_COLUMNS, text),
                cell(text.value(m["satisfaction_rate"], "ratio"), numeric=True),
                cell(text.value(m["satisfaction_wilson_lower"], "ratio"), numeric=True),
            )
            for m in top
        ],
    )


def _subject(config: ReportsConfig, title: str, period: str, red: int, text: Text) -> str:
    status = text("subject.off_target", count=red) if red else text("subject.all_on_target")
    return f"{config.subject_prefix}{title} {period} · {status}"


def _meta(build: Build, text: Text) -> list[str]:
    unknown = text("meta.unknown")
    return [
        text("meta.as_of", as_of=text.cell(build.as_of) or unknown),
        text("meta.built_at", built_at=text.cell(build.built_at) or unknown),
    ]


def _stale(build: Build, last_day: date, text: Text) -> str | None:
    """A warning when the data does not reach the last day the report is about."""
    if build.as_of is not None and build.as_of.date() >= last_day:
        return None
    return text(
        "meta.stale",
        as_of=text.cell(build.as_of) or text("meta.unknown"),
        last_day=last_day.isoformat(),
    )


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _kpi_table(figures: Iterable[KpiFigure], vs_key: str, text: Text) -> Table:
    headers = tuple(
        text(k) for k in ("col.kpi", "col.value", "col.target", vs_key, "col.status", "col.sample")
    )
    rows = []
    for f in figures:
        kpi = f.kpi
        target = text.target(kpi.target, kpi.direction, kpi.unit)
        if f.value is None:
            status = cell(text("status.not_assessed"), "muted")
        elif f.meets_target is None:
            status = cell(text("status.none"), "muted")
        elif f.meets_target:
            status = cell(text("status.ok"), "good")
        else:
            status = cell(text("status.miss"), "bad")
        rows.append(
            (
                cell(kpi.name(text.language)),
                cell(text.value(f.value, kpi.unit), status.tone, numeric=True),
                cell(target, "muted", numeric=True),
                cell(text.delta(f.value, f.previous, kpi.unit), _trend_tone(f), numeric=True),
                status,
                cell(_sample(f), numeric=True),
            )
        )
    return Table(headers, rows)


def _sample(figure: KpiFigure) -> str:
    """How many were assessed; for a rate per 10 000 subscribers, the subscribers."""
    if figure.denominator is None:
        return ""
    scale = 10_000 if figure.kpi.unit == "per_10k" else 1
    return f"{figure.denominator * scale:,.0f}"


def _trend_tone(figure: KpiFigure) -> str | None:
    if figure.value is None or figure.previous is None or figure.value == figure.previous:
        return None
    rising = figure.value > figure.previous
    better = rising if figure.kpi.direction == "higher_better" else not rising
    return "good" if better else "bad"


def _hall_label(group: HallGroup, text: Text) -> str:
    return group.hall_name or group.hall_id or text.code("team", group.team)


def _display(column: str, value: Any, text: Text) -> str:
    if column in CODE_COLUMNS:
        return text.code(CODE_COLUMNS[column], value)
    if column == "summary":
        return shorten(value, SUMMARY_CHARS)
    if column == "is_breached":
        return text("status.late") if value else text("status.due")
    return text.cell(value)


def _row(record: dict, columns: Iterable[str], text: Text) -> tuple[Cell, ...]:
    return tuple(
        cell(
            _display(c, record[c], text),
            numeric=isinstance(record[c], int | float | Decimal)
            and not isinstance(record[c], bool),
            nowrap=isinstance(record[c], date) or c.endswith("_id") or c == "msisdn_masked",
        )
        for c in columns
    )


def _more(shown: int, total: int, text: Text) -> list[str]:
    return [text("text.more_rows", shown=shown, total=total)] if total > shown else []


def _excel_row(record: dict, columns: Iterable[str], text: Text) -> list[object]:
    """Typed values for Excel: numbers and times stay typed, codes become labels."""
    return [
        _display(c, record[c], text) if c in CODE_COLUMNS or c == "is_breached" else record[c]
        for c in columns
    ]
