"""One benchmark stage, run in a fresh process by ``bench.measure``.

Prints a JSON object on its last line with the stage's own figures.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import duckdb


def ingest() -> dict:
    from pipelines.ingest.load import ingest as run

    results = run(progress=lambda line: print(line, file=sys.stderr, flush=True))
    return {
        "rows_read": sum(r.total("rows_read") for r in results.values()),
        "rows_loaded": sum(r.total("rows_loaded") for r in results.values()),
        "files": sum(len(r.files) for r in results.values()),
    }


def raw_read(target: str) -> dict:
    """DuckDB's own speed on the same files: CREATE TABLE AS SELECT * FROM read_csv(...)."""
    from pipelines import settings
    from pipelines.contract import TABLES
    from pipelines.ingest.files import discover

    landing = settings.paths().landing
    Path(target).unlink(missing_ok=True)
    con = duckdb.connect(target)
    con.execute(f"SET memory_limit = '{settings.duckdb_memory_limit()}'")
    rows = 0
    for table in TABLES:
        paths = [str(d.path) for d in discover(landing, [table.name]) if d.file_format == "csv"]
        if not paths:
            continue
        started = time.monotonic()
        # DuckDB's fast path: every delivery of a table has the same header, so one sniff
        # serves all files (union_by_name would sniff each file and flatter the ratio).
        con.execute(f"CREATE TABLE {table.name} AS SELECT * FROM read_csv(?)", [paths])
        n = con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
        rows += n
        print(
            f"{table.name}: {n:,} rows in {time.monotonic() - started:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    con.close()
    Path(target).unlink(missing_ok=True)
    return {"rows_read": rows}


def generate(scale: str) -> dict:
    from pipelines.synthetic.__main__ import main

    from pipelines import settings

    main(["--scale", scale, "--out", str(settings.paths().landing)])
    size = sum(p.stat().st_size for p in settings.paths().landing.rglob("*") if p.is_file())
    return {"landing_bytes": size}


STAGES = {"ingest": ingest, "raw_read": raw_read, "generate": generate}

if __name__ == "__main__":
    name, *args = sys.argv[1:]
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    print(json.dumps(STAGES[name](*args)))
