"""Dashboard latency: each page query against a serving copy, and each page in a browser.

``measure_queries(serving_path)`` runs the queries the KPI pages run (imported from their
``dashboards/lib`` modules, never copied) with the parameters a first visit uses, each
``runs`` times with Streamlit's cache emptied, and returns p50/p95 in milliseconds.
``measure_page_load(url)`` loads each page in Chromium (Playwright) and times it until the
script has finished and every plotly chart is drawn.

    python -m bench.dashboard queries data/warehouse/serving.duckdb
    python -m bench.dashboard page-load http://127.0.0.1:8501
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from streamlit import logger as streamlit_logger

from pipelines.settings import REPO_ROOT

# The dashboard imports its modules as `lib.*` (streamlit runs it from its own folder).
_APP_DIR = REPO_ROOT / "dashboards"
if str(_APP_DIR) not in sys.path:
    sys.path.insert(0, str(_APP_DIR))

QUERY_RUNS = 20
PAGE_LOADS = 5
PAGE_TIMEOUT_MS = 120_000
CHROMIUM = "/usr/bin/chromium"
# Path under the app's URL → page; the KPI pages on their default (first-visit) view.
PAGES = {"overview": "/", "complaints": "/complaints", "hotline": "/hotline"}

# Done when the script run has finished and every plotly chart has drawn its SVG.
_PAGE_READY = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning') return false;
    if (!document.querySelector('[data-testid="stMainBlockContainer"] h1')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.every(chart => chart.querySelector('.js-plotly-plot .main-svg'));
}"""


def _percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1), "runs": len(samples_ms)}


@contextmanager
def _serving_at(serving_path: Path) -> Iterator[None]:
    """Point ``lib.serving`` at ``serving_path``: a scratch data dir whose serving copy is a
    link to it, as MANYI_DATA_DIR is the one way the dashboard finds its file."""
    from pipelines import settings

    before = os.environ.get("MANYI_DATA_DIR")
    with tempfile.TemporaryDirectory() as scratch:
        link = settings.Paths(Path(scratch)).serving
        link.parent.mkdir(parents=True)
        link.symlink_to(Path(serving_path).resolve())
        os.environ["MANYI_DATA_DIR"] = scratch
        try:
            yield
        finally:
            if before is None:
                del os.environ["MANYI_DATA_DIR"]
            else:
                os.environ["MANYI_DATA_DIR"] = before


def page_queries() -> dict[str, Callable[[], object]]:
    """Each query of the overview, complaints and hotline pages, as a first visit runs it:
    the latest complete month, everybody, then the breakdowns and lists below it."""
    from lib import complaints, hotline, kpis
    from lib.periods import Period, default_start

    as_of = kpis.as_of()
    month = Period("month", default_start("month", kpis.period_starts("month"), as_of))
    day = Period("day", default_start("day", kpis.period_starts("day"), as_of))
    catalogue = kpis.catalog()
    first_watch = complaints.watchlist(limit=1)
    complaint_id = first_watch["complaint_id"].iloc[0] if len(first_watch) else ""
    return {
        "as_of": kpis.as_of,
        "catalog": kpis.catalog,
        "period_starts(month)": lambda: kpis.period_starts("month"),
        "period_starts(day, hotline)": lambda: kpis.period_starts("day", hotline.DOMAIN),
        "kpi_segments(complaints)": lambda: kpis.kpi_segments(complaints.DOMAIN),
        "kpi_grains": kpis.kpi_grains,
        "overview tiles(month)": lambda: kpis.tiles(catalogue, month),
        "hotline tiles(day, queue)": lambda: kpis.tiles(
            kpis.catalog(hotline.DOMAIN), day, segment_type="queue", segment_value="vip"
        ),
        "breakdown(month, channel)": lambda: kpis.values(
            "month",
            month.start,
            month.start,
            kpi_ids=[complaints.FIRST_REPLY],
            segment_type="channel",
            segment_value=None,
        ),
        "watchlist": complaints.watchlist,
        "watchlist_counts": complaints.watchlist_counts,
        "timeline": lambda: complaints.timeline(complaint_id),
        "intervals(month)": lambda: hotline.intervals(month.start, month.last_day),
        "intervals(week, queue)": lambda: hotline.intervals(
            day.start - timedelta(days=6), day.start, "billing"
        ),
    }


def measure_queries(serving_path: Path, runs: int = QUERY_RUNS) -> dict[str, dict[str, float]]:
    """p50/p95 milliseconds of each page query over ``runs`` uncached runs."""
    # Streamlit warns on every cached call made outside `streamlit run`.
    streamlit_logger.set_log_level("error")
    from lib import serving

    with _serving_at(serving_path):
        queries = page_queries()
        results = {}
        for name, run in queries.items():
            samples = []
            for _ in range(runs):
                serving._cached_query.clear()
                started = time.perf_counter()
                run()
                samples.append((time.perf_counter() - started) * 1000)
            results[name] = _percentiles(samples)
    return results


def measure_page_load(
    url: str, pages: dict[str, str] | None = None, loads: int = PAGE_LOADS
) -> dict[str, dict[str, float]]:
    """Milliseconds from navigation until each page is drawn: the first load (the server's
    cache cold for this build) and p50/p95 of ``loads`` more."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for name, path in (pages or PAGES).items():
                samples = []
                for _ in range(loads + 1):
                    context = browser.new_context(viewport={"width": 1440, "height": 1000})
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(url.rstrip("/") + path)
                    page.wait_for_function(_PAGE_READY, timeout=PAGE_TIMEOUT_MS, polling=50)
                    samples.append((time.perf_counter() - started) * 1000)
                    charts = page.get_by_test_id("stPlotlyChart").count()
                    context.close()
                results[name] = {
                    "first_ms": round(samples[0], 1),
                    **_percentiles(samples[1:]),
                    "charts": charts,
                }
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    queries = commands.add_parser("queries", help="page queries against a serving copy")
    queries.add_argument("serving_path", type=Path)
    queries.add_argument("--runs", type=int, default=QUERY_RUNS)
    loads = commands.add_parser("page-load", help="pages of a running dashboard")
    loads.add_argument("url")
    loads.add_argument("--loads", type=int, default=PAGE_LOADS)
    args = parser.parse_args(argv)
    if args.command == "queries":
        result = measure_queries(args.serving_path, args.runs)
    else:
        result = measure_page_load(args.url, loads=args.loads)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
