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
from datetime import datetime, timedelta
from pathlib import Path

import psutil

from bench.measure import Measurement, run_stage
from bench.report import write_section
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
# The builds measured, as the figures name them.
FULL = "full build"
INCREMENTAL = "incremental build"
DAILY_RUN = "daily run (`make build`)"


def _link_landing(source: Path, target: Path, held_days: list[str]) -> dict[str, list[Path]]:
    """Hard-link the deliveries of ``source`` into ``target`` (no 5 GB copy), holding back
    the daily files of ``held_days`` (ISO dates); returns those held back, by day."""
    held: dict[str, list[Path]] = {day: [] for day in held_days}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith((".", "_")):
            continue
        daily = TABLE_BY_NAME[path.parent.name].delivery == "daily"
        day = next((d for d in held_days if path.name.endswith(f"_{d}.csv")), None)
        if daily and day:
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
    process) once the last arrives. Each stage runs in its own process; each section is
    written as soon as its stages are done, so a long stage cannot lose the figures before
    it. Sections in ``skip`` (of ``OPTIONAL_SECTIONS``) are not measured and keep their
    earlier figures."""
    started = datetime.now()
    generated = generate_once(data_dir, scale_name)
    scale = SCALES[scale_name]
    last = scale.start + timedelta(days=scale.days - 1)
    held_days = [(last - timedelta(days=1)).isoformat(), last.isoformat()]
    build_dir = data_dir.parent / f"{data_dir.name}-build"
    shutil.rmtree(build_dir, ignore_errors=True)
    env = _bench_env(build_dir)
    held = _link_landing(data_dir / "landing", build_dir / "landing", held_days)
    # The dbt manifest prepared for this data dir, as `make run` does before it serves and
    # the daily schedule builds: dbt then parses only what changed (a profile naming another
    # warehouse would make every dbt stage parse the whole project again).
    subprocess.run([sys.executable, "-m", "pipelines.transform.prepare"], env=env, check=True)
    raw = run_stage("raw_read", [str(build_dir / "raw_read.duckdb")], env)
    full = [run_stage("ingest", [], env)]
    ingestion = [m for m in (generated, raw, full[0]) if m is not None]
    write_section(doc, "ingestion", ingestion, scale_name, machine(), started)
    incremental: list[Measurement] = []
    daily: list[Measurement] = []

    def record() -> None:
        labels = [FULL] * len(full) + [INCREMENTAL] * len(incremental) + [DAILY_RUN] * len(daily)
        runs = full + incremental + daily
        write_section(doc, "build", runs, scale_name, machine(), started, labels)

    for stage in BUILD_STAGES[1:]:
        full.append(run_stage(stage, [], env))
        record()
    if "dashboard" not in skip:
        dashboard = run_stage("dashboard", [], env)
        write_section(doc, "dashboard", [dashboard], scale_name, machine(), started)

    def deliver(day: str) -> None:
        for path in held[day]:
            _link(path, build_dir / "landing" / path.relative_to(data_dir / "landing"))

    incremental_day, daily_day = held_days
    deliver(incremental_day)
    for stage in BUILD_STAGES:
        incremental.append(run_stage(stage, [], env))
        record()
    deliver(daily_day)
    daily.append(run_stage("build", [], env))
    record()
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
