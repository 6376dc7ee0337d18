"""``make bench``: city-scale benchmarks, written to docs/benchmarks.md.

The city data set (1 M subscribers, a year) is generated once into
``$MANYI_BENCH_DIR`` (default ``data/bench/city``) and reused; every stage then runs in
its own process so wall time and peak memory are its own.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import psutil

from bench.measure import Measurement, run_stage
from bench.report import (
    DAILY_RUN,
    FULL,
    HALF_FULL,
    HALF_INCREMENTAL,
    INCREMENTAL,
    write_section,
)
from bench.spark import measure_engines
from pipelines.contract import TABLE_BY_NAME
from pipelines.settings import REPO_ROOT
from pipelines.synthetic.config import SCALES


def _bench_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["MANYI_DATA_DIR"] = str(data_dir)
    env.setdefault("MANYI_PII_KEY", "benchmark-key")
    return env


def generate_once(data_dir: Path, scale: str) -> Measurement | None:
    """The benchmark data set, generated once and reused by later runs."""
    marker = data_dir / "landing" / f".complete-{scale}"
    if marker.exists():
        return None
    shutil.rmtree(data_dir / "landing", ignore_errors=True)
    generated = run_stage("generate", [scale], _bench_env(data_dir))
    marker.touch()
    return generated


BUILD_STAGES = ("ingest", "dbt", "publish")


def _link_landing(
    source: Path, target: Path, held_days: list[str], through: str | None = None
) -> dict[str, list[Path]]:
    """Hard-link the deliveries of ``source`` into ``target`` (no 5 GB copy), holding back
    the daily files of ``held_days`` (ISO dates); returns those held back, by day. With
    ``through`` (an ISO date), daily files of later days and monthly files of later months
    are left out: the landing as it stood that day."""
    held: dict[str, list[Path]] = {day: [] for day in held_days}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith((".", "_")):
            continue
        delivery = TABLE_BY_NAME[path.parent.name].delivery
        # A file is named by its day (daily) or month (monthly): <table>_<date>.csv.
        dated = path.name.split(".")[0].rsplit("_", 1)[-1]
        if through and delivery != "snapshot" and dated > through[: len(dated)]:
            continue
        day = next((d for d in held_days if dated == d), None)
        if delivery == "daily" and day:
            held[day].append(path)
            continue
        _link(path, target / path.relative_to(source))
    return held


def _link(path: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not dest.exists():
        os.link(path, dest)


OPTIONAL_SECTIONS = ("dashboard", "engines")


def main_run(
    data_dir: Path, scale_name: str, doc: Path, skip: frozenset[str] = frozenset()
) -> None:
    """Generate once; then DuckDB's plain read of the deliveries, a full build on
    everything but the last two days' daily deliveries, an incremental build once the
    first of them arrives, stage by stage, and the daily run as `make build` runs it (one
    process) once the last arrives; the same full and incremental builds half a year in,
    to show what grows with the history. Each stage runs in its own process;
    each section is written as soon as its stages are done, so a long stage cannot lose the
    figures before it. Sections in ``skip`` (of ``OPTIONAL_SECTIONS``) are not measured and
    keep their earlier figures."""
    started = datetime.now()
    generated = generate_once(data_dir, scale_name)
    scale = SCALES[scale_name]
    last = scale.start + timedelta(days=scale.days - 1)
    builds: list[tuple[str, Measurement]] = []

    def build(label: str, stage: str, env: dict[str, str]) -> None:
        builds.append((label, run_stage(stage, [], env)))
        write_section(
            doc,
            "build",
            [m for _, m in builds],
            scale_name,
            machine(),
            started,
            [label for label, _ in builds],
        )

    half_day = (scale.start + timedelta(days=scale.days // 2)).isoformat()
    half_dir = data_dir.parent / f"{data_dir.name}-half"
    half_env, deliver_half = _build_dir(data_dir, half_dir, [half_day], through=half_day)
    for stage in BUILD_STAGES:
        build(HALF_FULL, stage, half_env)

    held_days = [(last - timedelta(days=1)).isoformat(), last.isoformat()]
    build_dir = data_dir.parent / f"{data_dir.name}-build"
    env, deliver = _build_dir(data_dir, build_dir, held_days)
    raw = run_stage("raw_read", [str(build_dir / "raw_read.duckdb")], env)
    ingested = run_stage("ingest", [], env)
    ingestion = [m for m in (generated, raw, ingested) if m is not None]
    write_section(doc, "ingestion", ingestion, scale_name, machine(), started)
    builds.append((FULL, ingested))
    for stage in BUILD_STAGES[1:]:
        build(FULL, stage, env)
    if "dashboard" not in skip:
        dashboard = run_stage("dashboard", [], env)
        write_section(doc, "dashboard", [dashboard], scale_name, machine(), started)

    # One day's deliveries half a year in, then a year in, one after the other: this
    # machine's speed drifts within the hour, and what differs should be the history.
    incremental_day, daily_day = held_days
    deliver_half(half_day)
    for stage in BUILD_STAGES:
        build(HALF_INCREMENTAL, stage, half_env)
    shutil.rmtree(half_dir)
    deliver(incremental_day)
    for stage in BUILD_STAGES:
        build(INCREMENTAL, stage, env)
    deliver(daily_day)
    build(DAILY_RUN, "build", env)
    if "engines" in skip:
        return
    # The same build on both engines, at a size both handle on this machine.
    engines = measure_engines("demo")
    write_section(
        doc,
        "engines",
        [Measurement("engines", 0.0, 0.0, engines)],
        "demo",
        machine(),
        datetime.now(),
    )


def _build_dir(
    data_dir: Path, build_dir: Path, held_days: list[str], through: str | None = None
) -> tuple[dict[str, str], Callable[[str], None]]:
    """A fresh data dir for builds: the landing of ``data_dir`` (through a day, if given)
    without the daily files of ``held_days``, and dbt's manifest prepared for it. Returns its
    environment and the function that delivers a held day."""
    shutil.rmtree(build_dir, ignore_errors=True)
    env = _bench_env(build_dir)
    landing = data_dir / "landing"
    held = _link_landing(landing, build_dir / "landing", held_days, through)

    def prepare() -> None:
        # The dbt manifest prepared for this data dir, as `make run` does before it serves
        # and the daily schedule builds: dbt then parses only what changed (one prepared
        # for another data dir would make every dbt stage parse the whole project again).
        subprocess.run([sys.executable, "-m", "pipelines.transform.prepare"], env=env, check=True)

    def deliver(day: str) -> None:
        for path in held[day]:
            _link(path, build_dir / "landing" / path.relative_to(landing))
        prepare()

    prepare()
    return env, deliver


def machine() -> str:
    return (
        f"{platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["demo", "city"], default="city")
    parser.add_argument(
        "--skip",
        action="append",
        choices=OPTIONAL_SECTIONS,
        default=[],
        help="a section not to measure this time (repeatable); it keeps its earlier figures",
    )
    args = parser.parse_args()
    data_dir = Path(
        os.environ.get("MANYI_BENCH_DIR", REPO_ROOT / "data" / "bench" / args.scale)
    ).resolve()
    main_run(data_dir, args.scale, REPO_ROOT / "docs" / "benchmarks.md", frozenset(args.skip))


if __name__ == "__main__":
    main()
