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
        # A plain typed read_csv fails on these files (a phone written "+86 138-…" in a
        # column sniffed as BIGINT: the mess ingestion exists for). So the baseline is the
        # least DuckDB does to load them: every file parsed into text columns named by the
        # header, no sniffing per file.
        header = con.execute(
            "DESCRIBE SELECT * FROM read_csv(?, all_varchar = true)", [paths[0]]
        ).fetchall()
        columns = "{" + ", ".join(f"'{row[0]}': 'VARCHAR'" for row in header) + "}"
        con.execute(
            f"CREATE TABLE {table.name} AS SELECT * FROM read_csv(?, header = true, "
            f"auto_detect = false, columns = {columns})",
            [paths],
        )
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
    from pipelines import settings
    from pipelines.synthetic.__main__ import main

    main(["--scale", scale, "--out", str(settings.paths().landing)])
    size = sum(p.stat().st_size for p in settings.paths().landing.rglob("*") if p.is_file())
    return {"landing_bytes": size}


def dbt() -> dict:
    """``dbt build`` as the Dagster asset runs it (same resource, environment and arguments)."""
    from pipelines import settings
    from pipelines.transform.artifacts import prune_run_folders
    from pipelines.transform.assets import build_args
    from pipelines.transform.environment import apply_dbt_env, dbt_resource

    apply_dbt_env()
    invocation = dbt_resource().cli(build_args(settings.as_of_override()), raise_on_error=True)
    invocation.wait()
    prune_run_folders()
    return {}


def build() -> dict:
    """The whole build in one process, as ``make build`` runs it (one Dagster job)."""
    from pipelines import console
    from pipelines.build import main

    console.configure()
    if main() != 0:
        raise SystemExit("the build failed")
    return {}


def publish() -> dict:
    from pipelines.ingest.load import connect_warehouse
    from pipelines.publish import publish as run

    con = connect_warehouse()
    try:
        counts = run(con, "bench")
    finally:
        con.close()
    return {"tables": len(counts)}


def dashboard() -> dict:
    """Page queries against the serving copy, then page loads in Chromium against the real
    app serving it (started here on a free port, stopped after)."""
    import secrets
    import socket
    import subprocess
    import urllib.request

    from bench.dashboard import PAGES, measure_page_load, measure_queries
    from pipelines import settings
    from pipelines.access import store, users
    from pipelines.settings import REPO_ROOT

    queries = measure_queries(settings.paths().serving)
    # A user of the quality role (every page and section) signed in as the sign-in form
    # would: a session in the server's own store.
    users.set_user(settings.users_file(), "bench", "quality", password=secrets.token_urlsafe(16))
    session = store.start_session("bench").token
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboards/server.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        loads = measure_page_load(url, session, PAGES)
    finally:
        app.terminate()
        app.wait(timeout=30)
    return {"queries": queries, "pages": loads}


STAGES = {
    "dashboard": dashboard,
    "ingest": ingest,
    "raw_read": raw_read,
    "generate": generate,
    "dbt": dbt,
    "publish": publish,
    "build": build,
}

if __name__ == "__main__":
    name, *args = sys.argv[1:]
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    print(json.dumps(STAGES[name](*args)))
