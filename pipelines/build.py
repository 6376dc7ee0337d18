"""Materialise every asset once, no UI: ``python -m pipelines.build`` (``make build``).

Exits non-zero when the run fails or a blocking asset check fails, so scripts and CI
notice bad deliveries as loudly as a crash.
"""

from __future__ import annotations

import logging
import sys
import time

from pipelines import console, settings

log = logging.getLogger("manyi.build")


def main() -> int:
    settings.apply_dagster_env()
    import dagster as dg

    from pipelines.definitions import defs

    started = time.monotonic()
    job = defs.resolve_job_def("build_all")
    result = job.execute_in_process(
        instance=dg.DagsterInstance.get(),
        raise_on_error=False,
        # Progress lines, not every event: the full event log is in the Dagster UI.
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
    )
    # A check of WARN severity (e.g. a KPI with no rows yet) is reported, not fatal.
    failed_checks = [
        f"{e.asset_key.to_user_string()}:{e.check_name} — {e.description or ''}"
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ]
    elapsed = time.monotonic() - started
    for failed_check in failed_checks:
        log.error("check failed: %s", failed_check)
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        log.error("build FAILED in %.0f s; failed steps: %s", elapsed, ", ".join(failed))
        return 1
    if failed_checks:
        log.error("build finished in %.0f s but checks failed", elapsed)
        return 1
    log.info("build succeeded in %.0f s; serving copy: %s", elapsed, settings.paths().serving)
    return 0


if __name__ == "__main__":
    console.configure()
    sys.exit(main())
