"""The whole code location as declared: an unintended change to asset keys, jobs,
schedules or sensors shows in review (`pytest --snapshot-update` after an intended one)."""

from __future__ import annotations

from pipelines.definitions import defs
from pipelines.resources import DUCKDB_POOL


def test_code_location_snapshot(snapshot):
    graph = defs.resolve_asset_graph()
    declared = {
        "assets": sorted(key.to_user_string() for key in graph.get_all_asset_keys()),
        "jobs": sorted(job.name for job in defs.jobs),
        "schedules": sorted(
            (s.name, s.job_name, s.cron_schedule, s.execution_timezone) for s in defs.schedules
        ),
        "sensors": sorted(s.name for s in defs.sensors),
    }
    assert declared == snapshot


def test_every_asset_writing_duckdb_shares_the_writer_pool():
    graph = defs.resolve_asset_graph()
    writers = [
        key
        for key in graph.get_all_asset_keys()
        if key.path[0] in ("raw", "staging", "intermediate", "marts", "serving")
    ]
    assert writers
    for key in writers:
        assert graph.get(key).pools == {DUCKDB_POOL}, key.to_user_string()


def test_the_daily_build_runs_at_six_in_shanghai():
    schedule = defs.resolve_schedule_def("daily_build")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 6 * * *", "Asia/Shanghai")
    assert schedule.job_name == "build_all"
