"""The Dagster side: jobs and schedules as declared (a snapshot), schedule ticks, report
jobs run in process, and the operators' notices on failed runs and failed checks.

No ``from __future__ import annotations``: Dagster reads the test assets' annotations.
"""

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.reports import config, definitions
from pipelines.reports.content import SEED_CATALOG
from pipelines.reports.delivery import MailDelivery
from tests.reports import mail_parts
from tests.reports.conftest import Inbox

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Review this when it changes: it is what people receive, and when.
SNAPSHOT = {
    "jobs": ["report_alerts", "report_daily", "report_monthly", "report_weekly"],
    "schedules": {
        "report_daily_schedule": ("report_daily", "0 8 * * *", "Asia/Shanghai"),
        "report_weekly_schedule": ("report_weekly", "30 8 * * 1", "Asia/Shanghai"),
        "report_monthly_schedule": ("report_monthly", "0 9 1 * *", "Asia/Shanghai"),
    },
    "sensors": [
        "mail_operators_on_failed_checks",
        "mail_operators_on_run_failure",
        "report_alerts_on_new_build",
    ],
}


def test_jobs_schedules_and_sensors_snapshot() -> None:
    defs = definitions.defs
    repo = defs.get_repository_def()
    assert (
        sorted(j.name for j in repo.get_all_jobs() if not j.name.startswith("__"))
        == (SNAPSHOT["jobs"])
    )
    schedules = {
        s.name: (s.job_name, s.cron_schedule, s.execution_timezone) for s in defs.schedules
    }
    assert schedules == SNAPSHOT["schedules"]
    assert all(s.default_status == dg.DefaultScheduleStatus.RUNNING for s in defs.schedules)
    assert sorted(s.name for s in defs.sensors) == SNAPSHOT["sensors"]
    assert all(s.default_status == dg.DefaultSensorStatus.RUNNING for s in defs.sensors)


def test_the_repo_configuration_names_owners_for_every_kpi_domain() -> None:
    loaded = config.load()
    with SEED_CATALOG.open(encoding="utf-8") as handle:
        domains = {row["domain"] for row in csv.DictReader(handle)}
    assert loaded.language == "zh"
    assert set(loaded.alerts.owners) == domains


def test_a_schedule_tick_dates_the_report_in_shanghai() -> None:
    schedule = definitions.defs.resolve_schedule_def("report_daily_schedule")
    # 00:00 UTC is 08:00 in Shanghai, already the next calendar day there.
    tick = datetime(2026, 11, 3, 0, 0, tzinfo=ZoneInfo("UTC"))
    with dg.build_schedule_context(scheduled_execution_time=tick) as context:
        request = schedule.evaluate_tick(context).run_requests[0]

    assert request.run_key == "daily:2026-11-03"
    assert request.run_config == {
        "ops": {"send_daily_report": {"config": {"report_date": "2026-11-03"}}}
    }


def _test_defs(reports_config: config.ReportsConfig) -> dg.Definitions:
    return definitions.build_definitions(
        reports_config, MailDelivery(attempts=2, backoff_seconds=0)
    )


def test_a_report_job_sends_once(
    serving_copy: Path, reports_config: config.ReportsConfig, data_dir: Path
) -> None:
    job = _test_defs(reports_config).resolve_job_def("report_monthly")
    run_config = {"ops": {"send_monthly_report": {"config": {"report_date": "2026-11-01"}}}}

    results = [job.execute_in_process(run_config=run_config) for _ in range(2)]

    assert all(r.success for r in results)
    delivered = [
        r.get_step_success_events()[0] and _output_metadata(r)["delivered"] for r in results
    ]
    assert delivered == [1, 0]  # mails delivered: one, then none (already sent)
    assert len(list((data_dir / "outbox").glob("*_monthly_2026-10_*.eml"))) == 1


def _output_metadata(result: dg.ExecuteInProcessResult) -> dict:
    (output,) = [e for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    return {k: v.value for k, v in output.event_specific_data.metadata.items()}


def test_the_alert_job_runs(
    serving_copy: Path, reports_config: config.ReportsConfig, smtp_server: Inbox
) -> None:
    result = _test_defs(reports_config).resolve_job_def("report_alerts").execute_in_process()

    assert result.success
    assert _output_metadata(result)["mails"] == 2
    assert len(smtp_server.received) == 2


@dg.op
def parse_bill_file() -> None:
    raise RuntimeError("计费文件无法解析：第3行「金额」不是数字 <b>")


@dg.job
def broken_build() -> None:
    parse_bill_file()


class CheckOutcome(dg.Config):
    blocking_fails: bool


@dg.asset(
    check_specs=[
        dg.AssetCheckSpec("quarantine_rate_within_bound", asset="raw_complaints", blocking=True),
        dg.AssetCheckSpec("rows_present", asset="raw_complaints"),
    ]
)
def raw_complaints(config: CheckOutcome):
    yield dg.Output(1)
    yield dg.AssetCheckResult(
        check_name="quarantine_rate_within_bound",
        passed=not config.blocking_fails,
        description="隔离行占比 12% 超过上限 5%",
    )
    yield dg.AssetCheckResult(
        check_name="rows_present", passed=False, description="投诉表本次没有新行"
    )


raw_complaints_job = dg.define_asset_job("raw_complaints_job", selection=[raw_complaints])


def _run_sensor(sensor_name: str, result, instance, reports_config) -> None:
    status = (
        dg.DagsterEventType.RUN_FAILURE if not result.success else dg.DagsterEventType.RUN_SUCCESS
    )
    (event,) = instance.all_logs(result.run_id, of_type=status)
    sensor = _test_defs(reports_config).resolve_sensor_def(sensor_name)
    context = dg.build_run_status_sensor_context(
        sensor_name=sensor_name,
        dagster_event=event.dagster_event,
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources={"report_mail": MailDelivery(attempts=2, backoff_seconds=0)},
    )
    if not result.success:
        context = context.for_run_failure()
    sensor(context)


def test_a_failed_run_mails_the_operators_in_chinese(
    reports_config: config.ReportsConfig, smtp_server: Inbox
) -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        result = broken_build.execute_in_process(instance=instance, raise_on_error=False)
        _run_sensor("mail_operators_on_run_failure", result, instance, reports_config)

    (received,) = smtp_server.received
    assert received.rcpt_tos == ["ops@manyi.test"]
    assert received.message["Subject"] == f"【满意】运行失败：broken_build（{result.run_id[:8]}）"
    body = mail_parts.html_body(received.message)
    assert "计费文件无法解析：第3行「金额」不是数字 &lt;b&gt;" in body
    assert "parse_bill_file" in body
    assert "计费文件无法解析" in mail_parts.text_body(received.message)


def _materialize_raw_complaints(instance, blocking_fails: bool):
    defs = dg.Definitions(assets=[raw_complaints], jobs=[raw_complaints_job])
    return defs.resolve_job_def("raw_complaints_job").execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={"ops": {"raw_complaints": {"config": {"blocking_fails": blocking_fails}}}},
    )


def test_a_failed_blocking_check_mails_the_operators(
    reports_config: config.ReportsConfig, smtp_server: Inbox
) -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        result = _materialize_raw_complaints(instance, blocking_fails=True)
        # In Dagster 1.13 a failed blocking check fails its step, hence the run.
        assert not result.success
        _run_sensor("mail_operators_on_run_failure", result, instance, reports_config)

    body = mail_parts.text_body(smtp_server.received[0].message)
    assert "raw_complaints | quarantine_rate_within_bound | 隔离行占比 12% 超过上限 5%" in body
    assert "raw_complaints | rows_present | 投诉表本次没有新行" in body


def test_failed_checks_of_a_successful_run_mail_the_operators(
    reports_config: config.ReportsConfig, smtp_server: Inbox
) -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        result = _materialize_raw_complaints(instance, blocking_fails=False)
        assert result.success
        _run_sensor("mail_operators_on_failed_checks", result, instance, reports_config)

    (received,) = smtp_server.received
    assert str(received.message["Subject"]).startswith("【满意】数据检查未通过：raw_complaints_job")
    body = mail_parts.text_body(received.message)
    assert "raw_complaints | rows_present | 投诉表本次没有新行" in body
    assert "quarantine_rate_within_bound" not in body


def test_a_successful_run_with_passing_checks_mails_nobody(
    reports_config: config.ReportsConfig, smtp_server: Inbox
) -> None:
    @dg.asset
    def fine() -> int:
        return 1

    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize([fine], instance=instance)
        _run_sensor("mail_operators_on_failed_checks", result, instance, reports_config)

    assert smtp_server.received == []


@dg.asset(key=definitions.SERVING_SNAPSHOT)
def serving_snapshot() -> None:
    """Stands in for pipelines/publish.py's asset of the same key."""


def test_a_new_serving_copy_triggers_the_alert_job_once_per_build() -> None:
    sensor = definitions.defs.resolve_sensor_def("report_alerts_on_new_build")
    with dg.DagsterInstance.ephemeral() as instance:
        build = dg.materialize([serving_snapshot], instance=instance)
        context = dg.build_sensor_context(instance=instance, definitions=definitions.defs)
        first = sensor.evaluate_tick(context)
        context.update_cursor(first.cursor)
        again = sensor.evaluate_tick(context)

    (request,) = first.run_requests
    assert request.run_key == f"alerts:{build.run_id}"
    assert request.job_name in (None, "report_alerts")
    assert not again.run_requests
