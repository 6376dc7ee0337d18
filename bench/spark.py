"""The same build on DuckDB and on Spark: ``measure_engines(scale)``, or
``python -m bench.spark [demo|city]`` (prints the figures as JSON).

The generated deliveries of ``scale`` are ingested once into a DuckDB warehouse; ``dbt
build`` then runs on DuckDB and, after the raw layer is exported to Parquet, on Spark
(``local[2]``), each in its own process as the Dagster asset runs it. Spark pays a fixed
price (JVM start, scheduling every query as distributed tasks) that only parallel work on
large data repays: on one machine DuckDB is ahead, and the figures say by how much.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import run_stage
from pipelines.settings import REPO_ROOT


def _env(data_dir: Path, target: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(MANYI_DATA_DIR=str(data_dir), MANYI_DBT_TARGET=target)
    env.setdefault("MANYI_PII_KEY", "benchmark-key")
    return env


def _landing(scale: str, work: Path) -> None:
    """The deliveries of ``scale`` (generated once, shared with ``make bench``), hard-linked
    into ``work``."""
    source = Path(os.environ.get("MANYI_BENCH_DIR", REPO_ROOT / "data" / "bench" / scale))
    marker = source / "landing" / f".complete-{scale}"
    if not marker.exists():
        shutil.rmtree(source / "landing", ignore_errors=True)
        run_stage("generate", [scale], _env(source, "duckdb"))
        marker.touch()
    shutil.copytree(
        source / "landing",
        work / "landing",
        copy_function=os.link,
        ignore=shutil.ignore_patterns(".*"),
    )


def measure_engines(scale: str = "demo") -> dict[str, float | int | str]:
    """Wall seconds (and peak memory) of ``dbt build`` on each engine over the same data."""
    work = REPO_ROOT / "data" / "bench" / f"engines-{scale}"
    shutil.rmtree(work, ignore_errors=True)
    _landing(scale, work)
    ingest = run_stage("ingest", [], _env(work, "duckdb"))
    on_duckdb = run_stage("dbt", [], _env(work, "duckdb"))

    spark_env = _env(work, "spark")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "pipelines.spark_export"], env=spark_env, check=True)
    exported = time.monotonic() - started
    on_spark = run_stage("dbt", [], spark_env)
    return {
        "scale": scale,
        "raw_rows": ingest.detail.get("rows_loaded", 0),
        "ingest_seconds": round(ingest.seconds, 1),
        "duckdb_seconds": round(on_duckdb.seconds, 1),
        "duckdb_peak_mb": round(on_duckdb.peak_rss_mb),
        "spark_export_seconds": round(exported, 1),
        "spark_seconds": round(on_spark.seconds, 1),
        "spark_peak_mb": round(on_spark.peak_rss_mb),
        "spark_to_duckdb": round((exported + on_spark.seconds) / on_duckdb.seconds, 1),
    }


if __name__ == "__main__":
    print(json.dumps(measure_engines(sys.argv[1] if len(sys.argv) > 1 else "demo"), indent=2))
