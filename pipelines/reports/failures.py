"""Notices to the operators: a run failed, or a run passed with failed error-severity checks.

Dagster's own ``make_email_on_run_failure_sensor`` sends HTML without a charset, which
breaks on Chinese; these go through the same ``EmailMessage`` path as the reports. A
failed asset check does not fail a run unless it is blocking, so the checks of every
successful run are read too.
"""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg

from pipelines.reports.config import ReportsConfig
from pipelines.reports.document import Document, Section, Table, cell, shorten
from pipelines.reports.labels import Text
from pipelines.reports.render import Rendered

ERROR_CHARS = 600


@dataclass(frozen=True)
class FailedCheck:
    asset: str
    check: str
    description: str


@dataclass(frozen=True)
class FailedStep:
    step: str
    error: str


def failed_checks(instance: dg.DagsterInstance, run_id: str) -> list[FailedCheck]:
    """Checks of the run that failed with ERROR severity (blocking ones among them)."""
    failed = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = entry.dagster_event.event_specific_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            failed.append(
                FailedCheck(
                    evaluation.asset_key.to_user_string(),
                    evaluation.check_name,
                    evaluation.description or "",
                )
            )
    return failed


def failed_steps(context: dg.RunFailureSensorContext) -> list[FailedStep]:
    steps = []
    for event in context.get_step_failure_events():
        # Dagster wraps the op's own exception; its message (the cause) is what helps,
        # so the chain is written innermost first.
        messages, error = [], event.event_specific_data.error
        while error is not None:
            messages.append(error.message.strip())
            error = error.cause
        steps.append(FailedStep(event.step_key or "", " ← ".join(reversed(messages))))
    return steps


def notice(
    *,
    job: str,
    run_id: str,
    failed: bool,
    message: str,
    steps: list[FailedStep],
    checks: list[FailedCheck],
    config: ReportsConfig,
) -> Rendered:
    text = Text(config.language)
    title = text("failure.title") if failed else text("checks.title")
    intro_key = "text.failure_intro" if failed else "text.checks_intro"
    sections = []
    if steps:
        sections.append(
            Section(
                text("section.failed_steps"),
                [
                    Table(
                        (text("col.step"), text("col.error")),
                        [(cell(s.step), cell(shorten(s.error, ERROR_CHARS))) for s in steps],
                    )
                ],
            )
        )
    if checks:
        sections.append(
            Section(
                text("section.failed_checks"),
                [
                    Table(
                        (text("col.asset"), text("col.check"), text("col.description")),
                        [
                            (cell(c.asset), cell(c.check, "bad"), cell(shorten(c.description, 300)))
                            for c in checks
                        ],
                    )
                ],
            )
        )
    meta = [text(intro_key, job=job, run_id=run_id)]
    if message:
        meta.append(shorten(message, ERROR_CHARS))
    document = Document(
        title=f"{title} · {job}",
        meta=meta,
        sections=sections,
        footer=[text("footer")],
        language=config.language,
    )
    return Rendered(
        report="failure" if failed else "checks",
        period=run_id,
        subject=config.subject_prefix + text("subject.run", title=title, job=job, run=run_id[:8]),
        document=document,
    )
