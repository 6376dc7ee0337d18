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
from datetime import datetime
from pathlib import Path

import psutil

from bench.measure import Measurement, run_stage
from bench.report import write_section
from pipelines.settings import REPO_ROOT


def _bench_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["MANYI_DATA_DIR"] = str(data_dir)
    env.setdefault("MANYI_PII_KEY", "benchmark-key")
    return env


def ingestion(data_dir: Path, scale: str) -> list[Measurement]:
    env = _bench_env(data_dir)
    marker = data_dir / "landing" / f".complete-{scale}"
    out: list[Measurement] = []
    if not marker.exists():
        shutil.rmtree(data_dir / "landing", ignore_errors=True)
        out.append(run_stage("generate", [scale], env))
        marker.touch()
    shutil.rmtree(data_dir / "warehouse", ignore_errors=True)
    out.append(run_stage("raw_read", [str(data_dir / "raw_read.duckdb")], env))
    out.append(run_stage("ingest", [], env))
    return out


def machine() -> str:
    return (
        f"{platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["demo", "city"], default="city")
    args = parser.parse_args()
    data_dir = Path(
        os.environ.get("MANYI_BENCH_DIR", REPO_ROOT / "data" / "bench" / args.scale)
    ).resolve()
    started = datetime.now()
    results = ingestion(data_dir, args.scale)
    write_section(
        REPO_ROOT / "docs" / "benchmarks.md", "ingestion", results, args.scale, machine(), started
    )


if __name__ == "__main__":
    main()
