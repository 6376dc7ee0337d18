"""The build section of docs/benchmarks.md: totals per build and what grows with history."""

from __future__ import annotations

from bench.measure import Measurement
from bench.report import HALF_INCREMENTAL, INCREMENTAL, _build_body


def stages(label: str, seconds: dict[str, float]) -> list[tuple[str, Measurement]]:
    return [(label, Measurement(stage, s, 100.0, {})) for stage, s in seconds.items()]


HALF = stages(HALF_INCREMENTAL, {"ingest": 1.3, "dbt": 21.2, "publish": 2.3})
YEAR = {"ingest": 1.8, "dbt": 21.3, "publish": 3.8}


def body(runs: list[tuple[str, Measurement]]) -> list[str]:
    return _build_body([m for _, m in runs], [label for label, _ in runs])


def test_growth_compares_the_two_days_stage_by_stage() -> None:
    lines = body(HALF + stages(INCREMENTAL, YEAR))
    assert f"- {HALF_INCREMENTAL}, all stages: **25 s**" in lines
    assert f"- {INCREMENTAL}, all stages: **27 s**" in lines
    assert (
        "- one day's incremental build, half a year in → a year in: **25 → 27 s** "
        "(ingest 1.3 → 1.8 s, dbt 21.2 → 21.3 s, publish 2.3 → 3.8 s)"
    ) in lines


def test_no_growth_until_the_year_is_measured() -> None:
    """The section is written after every stage: a year with its ingest alone is no
    comparison yet."""
    lines = body(HALF + stages(INCREMENTAL, {"ingest": 1.8}))
    assert not [line for line in lines if "half a year in → a year in" in line]
