"""Threshold alerts: a KPI of the latest day off target by more than its margin, or a
complaint within N hours of (or past) its 48-hour first-reply deadline.

A complaint late for longer than ``max_hours_late`` is no longer news (the daily briefing
lists the backlog): without that bound the first run, or a lost sent log, would mail every
old unanswered complaint at once.

Each breach has a key (the KPI and its day; the complaint) and is mailed to its domain's
owners once: keys already in the sent log are left out, and a run with nothing new sends
nothing. Time is the data's own clock (the serving copy's ``as_of``), the same clock the
watchlist's ``hours_left`` uses, so an alert says what the data shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pipelines.reports.config import ConfigError, ReportsConfig
from pipelines.reports.content import (
    Build,
    Kpi,
    build_info,
    catalog,
    rows,
    serving,
    unanswered_complaints,
)
from pipelines.reports.delivery import MailDelivery, Outcome, SentLog, build_message, sent_log_path
from pipelines.reports.document import Document, Section, Table, cell, shorten
from pipelines.reports.labels import Text
from pipelines.reports.render import Rendered

COMPLAINTS_DOMAIN = "complaints"
SUMMARY_CHARS = 60


@dataclass(frozen=True)
class KpiBreach:
    kpi: Kpi
    day: date
    value: float
    margin: float
    denominator: float

    @property
    def key(self) -> str:
        return f"alert|kpi|{self.kpi.kpi_id}|{self.day.isoformat()}"

    @property
    def domain(self) -> str:
        return self.kpi.domain


@dataclass(frozen=True)
class ComplaintBreach:
    complaint: dict[str, Any]

    @property
    def key(self) -> str:
        return f"alert|complaint|{self.complaint['complaint_id']}"

    @property
    def domain(self) -> str:
        return COMPLAINTS_DOMAIN


Breach = KpiBreach | ComplaintBreach


def find(config: ReportsConfig) -> tuple[Build, list[Breach]]:
    """Every breach the serving copy shows now, alerted before or not."""
    breaches: list[Breach] = []
    with serving() as con:
        kpis = catalog(con)
        latest = con.execute(
            "SELECT max(period_start) FROM marts.kpi_values "
            "WHERE grain = 'day' AND segment_type = 'all'"
        ).fetchone()[0]
        figures = rows(
            con,
            "SELECT kpi_id, value, denominator FROM marts.kpi_values "
            "WHERE grain = 'day' AND segment_type = 'all' AND period_start = ? "
            "AND value IS NOT NULL",
            [latest],
        )
        for figure in sorted(figures, key=lambda f: kpis[f["kpi_id"]].display_order):
            kpi = kpis[figure["kpi_id"]]
            margin = config.alerts.margin(kpi.kpi_id, kpi.unit)
            if kpi.misses_by(figure["value"], margin):
                breaches.append(
                    KpiBreach(kpi, latest, figure["value"], margin, figure["denominator"])
                )
        complaints = unanswered_complaints(
            con,
            "w.hours_left BETWEEN ? AND ?",
            [-config.alerts.max_hours_late, config.alerts.hours_before_breach],
        )
        breaches += [ComplaintBreach(c) for c in complaints]
        return build_info(con), breaches


def run(config: ReportsConfig, mail: MailDelivery) -> list[Outcome]:
    """Mail each domain's new breaches to its owners; one mail per domain with news."""
    build, breaches = find(config)
    if not breaches:
        return []
    already = SentLog(sent_log_path()).sent_keys([b.key for b in breaches])
    news: dict[str, list[Breach]] = {}
    for breach in breaches:
        if breach.key not in already:
            news.setdefault(breach.domain, []).append(breach)
    # Checked before anything is sent, so that a bad configuration never half-sends.
    ownerless = sorted(set(news) - set(config.alerts.owners))
    if ownerless:
        raise ConfigError(f"[alerts.owners] names nobody for domain(s) {ownerless}")
    outcomes = []
    for domain, domain_breaches in news.items():
        rendered = render(domain, domain_breaches, build, config)
        recipients = config.recipients(config.alerts.owners[domain])
        msg = build_message(
            rendered, sender=config.sender, recipients=recipients, domain=config.sender_domain
        )
        outcomes.append(
            mail.send(
                msg,
                keys=[b.key for b in domain_breaches],
                stem=f"alert_{domain}_{rendered.period}",
            )
        )
    return outcomes


def render(domain: str, breaches: list[Breach], build: Build, config: ReportsConfig) -> Rendered:
    text = Text(config.language)
    as_of = text.cell(build.as_of) or text("meta.unknown")
    kpi_breaches = [b for b in breaches if isinstance(b, KpiBreach)]
    complaint_breaches = [b for b in breaches if isinstance(b, ComplaintBreach)]
    sections = []
    if kpi_breaches:
        sections.append(
            Section(
                text("section.kpi_alerts"),
                [
                    Table(
                        tuple(
                            text(f"col.{c}")
                            for c in ("kpi", "day", "value", "target", "margin", "sample")
                        ),
                        [
                            (
                                cell(b.kpi.name(config.language)),
                                cell(b.day.isoformat()),
                                cell(text.value(b.value, b.kpi.unit), "bad", numeric=True),
                                cell(
                                    text.target(b.kpi.target, b.kpi.direction, b.kpi.unit),
                                    numeric=True,
                                ),
                                cell(text.value(b.margin, b.kpi.unit), numeric=True),
                                cell(f"{b.denominator:,.0f}", numeric=True),
                            )
                            for b in kpi_breaches
                        ],
                    )
                ],
            )
        )
    if complaint_breaches:
        columns = (
            "complaint_id",
            "received_at",
            "category",
            "msisdn_masked",
            "first_owner_name",
            "hall_name",
            "reply_deadline_at",
            "hours_left",
        )
        sections.append(
            Section(
                text("section.complaint_alerts"),
                [
                    Table(
                        (
                            *(text(f"col.{c}") for c in columns),
                            text("col.status"),
                            text("col.summary"),
                        ),
                        [
                            (
                                *(
                                    cell(
                                        text.code("category", b.complaint[c])
                                        if c == "category"
                                        else text.cell(b.complaint[c]),
                                        numeric=c == "hours_left",
                                    )
                                    for c in columns
                                ),
                                cell(text("status.late"), "bad")
                                if b.complaint["is_breached"]
                                else cell(text("status.at_risk"), "bad"),
                                cell(shorten(b.complaint["summary"], SUMMARY_CHARS)),
                            )
                            for b in complaint_breaches
                        ],
                    )
                ],
            )
        )
    label = text.code("domain", domain)
    document = Document(
        title=f"{text('alert.title')} · {label}",
        meta=[text("text.alert_intro", as_of=as_of)],
        sections=sections,
        footer=[text("footer")],
        language=config.language,
    )
    subject = text("subject.alert", title=text("alert.title"), domain=label, count=len(breaches))
    period = build.as_of.strftime("%Y-%m-%dT%H%M") if build.as_of else "unknown"
    return Rendered(
        report="alert",
        period=f"{domain}.{period}",
        subject=f"{config.subject_prefix}{subject}",
        document=document,
    )
