"""Benchmark figures into docs/benchmarks.md, one section per benchmark, rewritten in place."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from bench.measure import Measurement

HEADER = """# Benchmarks

Measured by `make bench` (`python -m bench`) on the machine named in each section. Each
stage runs in its own process; peak memory is the resident set of that process tree.
Goals are from the issues; tests never assert on time.
"""


def _ingestion_body(results: list[Measurement]) -> list[str]:
    by = {m.stage: m for m in results}
    lines = [
        "| stage | wall (s) | peak RSS (MB) | rows | rows/s |",
        "| --- | --- | --- | --- | --- |",
    ]
    for m in results:
        rows = m.detail.get("rows_read")
        rate = f"{rows / m.seconds:,.0f}" if rows else ""
        lines.append(
            f"| {m.stage} | {m.seconds:.1f} | {m.peak_rss_mb:,.0f} | {rows or '':,} | {rate} |"
            if rows
            else f"| {m.stage} | {m.seconds:.1f} | {m.peak_rss_mb:,.0f} | | |"
        )
    if "ingest" in by and "raw_read" in by:
        ratio = by["raw_read"].seconds / by["ingest"].seconds
        lines += [
            "",
            f"Ingestion throughput relative to DuckDB's plain `CREATE TABLE AS SELECT * FROM "
            f"read_csv(...)` of the same files: **{ratio:.0%}** (goal ≥ 60 %); peak memory "
            f"{by['ingest'].peak_rss_mb / 1024:.2f} GB (goal < 4 GB).",
        ]
    return lines


BODIES = {"ingestion": _ingestion_body}


def write_section(
    path: Path,
    name: str,
    results: list[Measurement],
    scale: str,
    machine: str,
    started: datetime,
) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    section = "\n".join(
        [
            f"## {name}",
            "",
            f"`make bench` ({scale} scale), {started:%Y-%m-%d %H:%M}, {machine}.",
            "",
            *BODIES[name](results),
            "",
        ]
    )
    pattern = re.compile(rf"^## {re.escape(name)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")
