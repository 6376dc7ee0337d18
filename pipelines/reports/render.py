"""The three scheduled reports as documents (HTML + text), charts and Excel attachments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

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
from pipelines.reports.document import Cell, Document, Image, Section, Table, cell, shorten
from pipelines.reports.labels import Text

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SUMMARY_CHARS = 60
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
    complaints = data.complaints
    due = [r for r in complaints.rows if not r["is_breached"]]
    late = len(complaints.rows) - len(due)
    shown = due[: config.top_rows]

    complaint_blocks: list = [text("text.none_due")] if not due else []
    if due:
        complaint_blocks.append(
            Table(
                tuple(text(f"col.{c}") for c in COMPLAINT_BODY_COLUMNS),
                [_row(r, COMPLAINT_BODY_COLUMNS, text) for r in shown],
            )
        )
        complaint_blocks += _more(len(shown), len(due), text)
    if late:
        complaint_blocks.append(text("text.overdue", count=late))

    violation_blocks: list = [
        Table(
            (text("col.list"), text("col.on_day"), text("col.total")),
            [
                (
                    cell(text.code("list", v.name)),
                    cell(len(v.rows), "bad" if v.rows else None, numeric=True),
                    cell(v.total, numeric=True),
                )
                for v in data.violations
            ],
        )
    ]
    for listing in data.violations:
        if listing.rows:
            violation_blocks.append(text.code("list", listing.name))
            violation_blocks.append(_listing_table(listing, config.top_rows, text))
            violation_blocks += _more(
                min(config.top_rows, len(listing.rows)), len(listing.rows), text
            )
    if not any(v.rows for v in data.violations):
        violation_blocks.append(text("text.no_violations"))

    filename = text("file.daily", period=day)
    sheets = [
        workbook.Sheet(
            text("sheet.complaints"),
            [text(f"col.{c}") for c in complaints.columns],
            [_excel_row(r, complaints.columns, text) for r in complaints.rows],
            [EXCEL_FORMATS.get(c) for c in complaints.columns],
        ),
        *(
            workbook.Sheet(
                text.code("list", v.name),
                [text(f"col.{c}") for c in v.columns],
                [_excel_row(r, v.columns, text) for r in v.rows],
                [EXCEL_FORMATS.get(c) for c in v.columns],
            )
            for v in data.violations
        ),
    ]
    document = Document(
        title=f"{text('daily.title')} · {day}",
        meta=_meta(data.build, text),
        warning=_stale(data.build, data.day, text),
        sections=[
            Section(
                text("section.kpis_day", day=day),
                [text("text.kpis_red_first"), _kpi_table(data.kpis, "col.vs_previous_day", text)],
            ),
            Section(text("section.complaints_due"), complaint_blocks),
            Section(text("section.violations", day=day), violation_blocks),
        ],
        footer=[text("footer.attachment", name=filename), text("footer")],
        language=config.language,
    )
    return Rendered(
        report="daily",
        period=day,
        subject=_subject(config, text("daily.title"), day, red, text),
        document=document,
        attachments=(Attachment(filename, workbook.build(sheets), *XLSX),),
    )


def weekly(data: WeeklyData, config: ReportsConfig) -> Rendered:
    text = Text(config.language)
    end = data.week_start + timedelta(days=6)
    period = text("period.week", start=data.week_start.isoformat(), end=end.isoformat())
    sections = []
    domains: dict[str, list[KpiFigure]] = {}
    for figure in data.kpis:
        domains.setdefault(figure.kpi.domain, []).append(figure)
    for domain, figures in domains.items():
        label = text.code("domain", domain)
        chart = charts.domain_trends(figures, data.weeks, data.trends, config.language)
        sections.append(
            Section(
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
        )
    off_target = [f for f in data.kpis if f.meets_target is False]
    summary: list = [
        _kpi_table(off_target, "col.vs_previous_week", text)
        if off_target
        else text("text.all_on_target")
    ]
    document = Document(
        title=f"{text('weekly.title')} · {period}",
        meta=_meta(data.build, text),
        warning=_stale(data.build, end, text),
        sections=[Section(text("section.week_off_target"), summary), *sections],
        footer=[text("footer")],
        language=config.language,
    )
    return Rendered(
        report="weekly",
        period=data.week_start.isoformat(),
        subject=_subject(config, text("weekly.title"), period, len(off_target), text),
        document=document,
    )


def monthly(data: MonthlyData, config: ReportsConfig) -> Rendered:
    text = Text(config.language)
    month = text("period.month", year=data.month.year, month=data.month.month)
    period = data.month.strftime("%Y-%m")
    summary_headers = tuple(
        text(f"col.{c}")
        for c in (
            "hall",
            "staff_count",
            "invitations",
            "valid_replies",
            "code_1_replies",
            "code_3_replies",
            "satisfaction_rate",
        )
    )
    summary_rows = [
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
    body: list = [text("text.monthly_intro", month=month)]
    if summary_rows:
        body.append(
            Table(
                summary_headers,
                [
                    (
                        cell(r[0]),
                        *(cell(v, numeric=True) for v in r[1:6]),
                        cell(text.value(r[6], "ratio"), numeric=True),
                    )
                    for r in summary_rows
                ],
            )
        )
    else:
        body.append(text("text.no_staff"))
    filename = text("file.monthly", period=period)
    sheets = [
        workbook.Sheet(
            text("sheet.summary"),
            summary_headers,
            summary_rows,
            [None] * 6 + ["percent"],
        ),
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
        sections=[Section(text("section.halls"), body)],
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
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _kpi_table(figures: Iterable[KpiFigure], vs_key: str, text: Text) -> Table:
    headers = tuple(
        text(k) for k in ("col.kpi", "col.value", "col.target", vs_key, "col.status", "col.sample")
    )
    rows = []
    for f in figures:
        kpi = f.kpi
        target = "—"
        if kpi.target is not None:
            sign = "≥" if kpi.direction == "higher_better" else "≤"
            target = f"{sign} {text.value(kpi.target, kpi.unit)}"
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
                cell("" if f.denominator is None else f"{f.denominator:,.0f}", numeric=True),
            )
        )
    return Table(headers, rows)


def _trend_tone(figure: KpiFigure) -> str | None:
    if figure.value is None or figure.previous is None or figure.value == figure.previous:
        return None
    rising = figure.value > figure.previous
    better = rising if figure.kpi.direction == "higher_better" else not rising
    return "good" if better else "bad"


def _hall_label(group: HallGroup, text: Text) -> str:
    return group.hall_name or group.hall_id or text.code("team", group.team)


def _display(column: str, value: object, text: Text) -> str:
    if column in CODE_COLUMNS:
        return text.code(CODE_COLUMNS[column], value)  # type: ignore[arg-type]
    if column == "summary":
        return shorten(value, SUMMARY_CHARS)  # type: ignore[arg-type]
    if column == "is_breached":
        return text("status.late") if value else text("status.due")
    return text.cell(value)


def _row(record: dict, columns: Iterable[str], text: Text) -> tuple[Cell, ...]:
    return tuple(
        cell(
            _display(c, record[c], text),
            numeric=isinstance(record[c], (int, float)) and not isinstance(record[c], bool),
        )
        for c in columns
    )


def _listing_table(listing: Listing, limit: int, text: Text) -> Table:
    return Table(
        tuple(text(f"col.{c}") for c in listing.columns),
        [_row(r, listing.columns, text) for r in listing.rows[:limit]],
    )


def _more(shown: int, total: int, text: Text) -> list[str]:
    return [text("text.more_rows", shown=shown, total=total)] if total > shown else []


def _excel_row(record: dict, columns: Iterable[str], text: Text) -> list[object]:
    """Typed values for Excel: numbers and times stay typed, codes become labels."""
    return [
        _display(c, record[c], text) if c in CODE_COLUMNS or c == "is_breached" else record[c]
        for c in columns
    ]
