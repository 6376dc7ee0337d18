"""Triggers: a sensor on new or changed landing files, and the daily 06:00 build."""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from pipelines import settings
from pipelines.ingest import files

DAILY_CRON = "0 6 * * *"


def landing_changes(cursor: dict[str, list]) -> tuple[list[str], dict[str, list]]:
    """Files new or changed since ``cursor`` ({source_file: [size, mtime_ns, sha256]}).

    Keyed on name and content hash, so a corrected file with the same name is noticed
    and a file merely touched is not; size and mtime spare re-hashing unchanged files.
    """
    changed: list[str] = []
    seen: dict[str, list] = {}
    for delivery in files.discover(settings.paths().landing):
        previous = cursor.get(delivery.source_file)
        if previous and previous[:2] == [delivery.size, delivery.mtime_ns]:
            seen[delivery.source_file] = previous
            continue
        digest = files.content_hash(delivery.path)
        seen[delivery.source_file] = [delivery.size, delivery.mtime_ns, digest]
        if not previous or previous[2] != digest:
            changed.append(delivery.source_file)
    return changed, seen


def build_sensor(job: dg.UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_files_sensor",
        job=job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Builds when a delivery is new or its content changed.",
    )
    def landing_files_sensor(context: dg.SensorEvaluationContext):
        cursor = json.loads(context.cursor) if context.cursor else {}
        changed, seen = landing_changes(cursor)
        context.update_cursor(json.dumps(seen))
        if not changed:
            return dg.SkipReason("no new or changed landing files")
        run_key = hashlib.sha256(
            json.dumps([[f, seen[f][2]] for f in sorted(changed)]).encode()
        ).hexdigest()
        return dg.RunRequest(run_key=run_key, tags={"manyi/changed_files": str(len(changed))})

    return landing_files_sensor


def build_schedule(job: dg.UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="daily_build",
        job=job,
        cron_schedule=DAILY_CRON,
        execution_timezone=settings.TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Every morning at 06:00 Asia/Shanghai, after the night's exports land.",
    )
