"""Dagster wiring of the reports: a job per report (send on demand from the UI), their
schedules (Asia/Shanghai), the alert job and its sensor, and the operators' notices.

``defs`` is merged into the code location by ``pipelines/definitions.py``.
"""

# No `from __future__ import annotations`: Dagster reads the op parameters' annotations
# (config class, resource) as real types.
from datetime import date
from zoneinfo import ZoneInfo

import dagster as dg
from pydantic import Field

from pipelines import settings
from pipelines.reports import alerts, compose, config, content, failures
from pipelines.reports.config import ReportsConfig, ReportSpec
from pipelines.reports.delivery import MailDelivery, build_message
from pipelines.reports.render import Rendered

MAIL_RESOURCE = "report_mail"
# The asset pipelines/publish.py materialises once a build is in the serving copy.
SERVING_SNAPSHOT = dg.AssetKey(["serving", "snapshot"])
DESCRIPTIONS = {
    "daily": "每日简报: yesterday's KPIs against target and the day before, complaints due "
    "today, the day's billing-commitment violations (Excel attached).",
    "weekly": "周报: last ISO week's KPIs with weekly trend charts per domain.",
    "monthly": "月度员工评价表: last month's staff evaluation per hall (Excel attached).",
}


class ReportRunConfig(dg.Config):
    report_date: str | None = Field(
        default=None,
        description="The date the report is sent on (YYYY-MM-DD; the daily briefing covers "
        "the day before). Empty: the day after the serving copy's as_of, at most today.",
    )


def job_name(report: str) -> str:
    return f"report_{report}"


def op_name(report: str) -> str:
    return f"send_{report}_report"


def report_job(report: str, reports_config: ReportsConfig) -> dg.JobDefinition:
    @dg.op(name=op_name(report), out=dg.Out(dg.Nothing), description=DESCRIPTIONS[report])
    def send_report(config: ReportRunConfig, report_mail: MailDelivery) -> dg.Output:
        today = settings.local_now().date()
        report_date = (
            date.fromisoformat(config.report_date)
            if config.report_date
            else content.default_report_date(today)
        )
        outcomes = compose.send(report, report_date, reports_config, report_mail)
        return dg.Output(
            None,
            metadata={
                "report_date": report_date.isoformat(),
                "message_ids": [o.message_id for o in outcomes],
                "delivered": sum(o.delivered for o in outcomes),
                "destinations": sorted({o.destination for o in outcomes if o.destination}),
            },
        )

    @dg.job(name=job_name(report), description=DESCRIPTIONS[report], tags={"manyi/report": report})
    def job() -> None:
        send_report()

    return job


def report_schedule(job: dg.JobDefinition, spec: ReportSpec) -> dg.ScheduleDefinition:
    @dg.schedule(
        name=f"{job.name}_schedule",
        cron_schedule=spec.cron,
        job=job,
        execution_timezone=settings.TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"{spec.cron} ({settings.TIMEZONE}), from reports.toml",
    )
    def schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        tick = context.scheduled_execution_time.astimezone(ZoneInfo(settings.TIMEZONE)).date()
        return dg.RunRequest(
            # One run per report and tick, even if the tick is evaluated twice.
            run_key=f"{spec.name}:{tick.isoformat()}",
            run_config={"ops": {op_name(spec.name): {"config": {"report_date": tick.isoformat()}}}},
        )

    return schedule


def alerts_job(reports_config: ReportsConfig) -> dg.JobDefinition:
    @dg.op(
        name="send_alerts",
        out=dg.Out(dg.Nothing),
        description="Mail each domain's owners the breaches they have not been told about yet.",
    )
    def send_alerts(report_mail: MailDelivery) -> dg.Output:
        outcomes = alerts.run(reports_config, report_mail)
        return dg.Output(
            None,
            metadata={
                "mails": len(outcomes),
                "message_ids": [o.message_id for o in outcomes],
            },
        )

    @dg.job(
        name="report_alerts",
        description="Threshold alerts: KPIs off target by more than their margin, complaints "
        "near or past 48 h without a first reply. Each breach is mailed once.",
        tags={"manyi/report": "alerts"},
    )
    def job() -> None:
        send_alerts()

    return job


def alerts_sensor(job: dg.JobDefinition) -> dg.SensorDefinition:
    @dg.asset_sensor(
        asset_key=SERVING_SNAPSHOT,
        job=job,
        name="report_alerts_on_new_build",
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Checks for alerts each time a build publishes a new serving copy.",
    )
    def sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
        return dg.RunRequest(run_key=f"alerts:{asset_event.run_id}")

    return sensor


def _notify(
    reports_config: ReportsConfig,
    mail: MailDelivery,
    notice: Rendered,
) -> None:
    msg = build_message(
        notice,
        sender=reports_config.sender,
        recipients=reports_config.recipients(reports_config.failure_roles),
        domain=reports_config.sender_domain,
    )
    stem = f"{notice.report}_{notice.period}"
    mail.send(msg, keys=[f"{notice.report}|{notice.period}"], stem=stem)


def failure_sensors(reports_config: ReportsConfig) -> list[dg.SensorDefinition]:
    @dg.run_failure_sensor(
        name="mail_operators_on_run_failure",
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Mails the operators when any run of this code location fails.",
    )
    def on_failure(context: dg.RunFailureSensorContext, report_mail: MailDelivery) -> None:
        run = context.dagster_run
        notice = failures.notice(
            job=run.job_name,
            run_id=run.run_id,
            failed=True,
            message=context.failure_event.message or "",
            steps=failures.failed_steps(context),
            checks=failures.failed_checks(context.instance, run.run_id),
            config=reports_config,
        )
        _notify(reports_config, report_mail, notice)

    @dg.run_status_sensor(
        run_status=dg.DagsterRunStatus.SUCCESS,
        name="mail_operators_on_failed_checks",
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Mails the operators when a run succeeded but error-severity asset checks "
        "failed (a failed check does not fail a run unless it is blocking).",
    )
    def on_failed_checks(context: dg.RunStatusSensorContext, report_mail: MailDelivery):
        run = context.dagster_run
        checks = failures.failed_checks(context.instance, run.run_id)
        if not checks:
            return dg.SkipReason(f"run {run.run_id} has no failed error-severity check")
        notice = failures.notice(
            job=run.job_name,
            run_id=run.run_id,
            failed=False,
            message="",
            steps=[],
            checks=checks,
            config=reports_config,
        )
        _notify(reports_config, report_mail, notice)
        return None

    return [on_failure, on_failed_checks]


def build_definitions(
    reports_config: ReportsConfig, mail: MailDelivery | None = None
) -> dg.Definitions:
    jobs = {name: report_job(name, reports_config) for name in config.REPORTS}
    alert_job = alerts_job(reports_config)
    return dg.Definitions(
        jobs=[*jobs.values(), alert_job],
        schedules=[report_schedule(jobs[n], reports_config.reports[n]) for n in config.REPORTS],
        sensors=[alerts_sensor(alert_job), *failure_sensors(reports_config)],
        resources={MAIL_RESOURCE: mail or MailDelivery()},
    )


defs = build_definitions(config.load())
