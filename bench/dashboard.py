"""Dashboard latency: each page query against a serving copy, and each page in a browser.

``measure_queries(serving_path)`` runs the queries every page runs (imported from their
``dashboards/lib`` modules, never copied) with the parameters a first visit uses, each
``runs`` times with Streamlit's cache emptied, and returns p50/p95 in milliseconds.
``measure_page_load(url, session)`` loads each page in Chromium (Playwright), signed in, and
times it until a script run has finished with every plotly chart drawn and no other run
follows within a second.

    python -m bench.dashboard queries data/warehouse/serving.duckdb
    python -m bench.dashboard page-load http://127.0.0.1:8501 SESSION_TOKEN
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
from typing import TYPE_CHECKING

from streamlit import logger as streamlit_logger

from pipelines.settings import REPO_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The dashboard imports its modules as `lib.*` (streamlit runs it from its own folder).
_APP_DIR = REPO_ROOT / "dashboards"
if str(_APP_DIR) not in sys.path:
    sys.path.insert(0, str(_APP_DIR))

QUERY_RUNS = 20
PAGE_LOADS = 5
PAGE_TIMEOUT_MS = 120_000
CHROMIUM = "/usr/bin/chromium"
# Path under the app's URL → page, each on its default (first-visit) view.
PAGES = {
    name: f"/{name}"
    for name in ("overview", "complaints", "hotline", "staff", "billing", "data-quality")
}
# The session cookie of a signed-in browser (lib.auth.COOKIE).
SESSION_COOKIE = "manyi_session"

# Counts the app's script runs: a page may run more than once before it settles (the
# sign-in check reruns), and the state between two runs is "notRunning" too.
_COUNT_RUNS = """
window.__manyiRuns = 0;
new MutationObserver(changes => {
    for (const change of changes) {
        if (change.target.getAttribute('data-test-script-state') === 'running') {
            window.__manyiRuns += 1;
        }
    }
}).observe(document, {
    subtree: true, attributes: true, attributeFilter: ['data-test-script-state'],
});
"""
# Drawn: a script run has happened and finished, and at least ``charts`` plotly charts have
# their SVG (a chart's element appears only once its code has loaded, after the run).
_PAGE_READY = """charts => {
    if (!window.__manyiRuns) return false;
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning') return false;
    if (!document.querySelector('[data-testid="stMainBlockContainer"] h1')) return false;
    const drawn = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .filter(chart => chart.querySelector('.js-plotly-plot .main-svg'));
    return drawn.length >= charts;
}"""
_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .filter(chart => chart.querySelector('.js-plotly-plot .main-svg')).length"""
# A drawn page counts as done once no further run starts within this time.
SETTLE_MS = 1000
# The first load of a page learns how many charts it draws: done when no new chart has
# come for this long. Later loads wait for that many.
FIRST_LOAD_CHARTS_MS = 5000


def _charts_to_come(page: Page, started: float, drawn_ms: float) -> tuple[int, float]:
    """How many charts ``page`` draws, and when it had drawn the last of them: polled until
    no new chart has come for FIRST_LOAD_CHARTS_MS."""
    count = page.evaluate(_CHARTS_DRAWN)
    quiet_since = time.perf_counter()
    while (time.perf_counter() - quiet_since) * 1000 < FIRST_LOAD_CHARTS_MS:
        page.wait_for_timeout(100)
        now = page.evaluate(_CHARTS_DRAWN)
        if now > count:
            count, quiet_since = now, time.perf_counter()
            drawn_ms = (quiet_since - started) * 1000
    return count, drawn_ms


def _drawn_after(page: Page, started: float, charts: int) -> float:
    """Milliseconds from ``started`` until ``page`` was drawn for good: drawn with ``charts``
    charts, and no further script run started during the settle time after it."""
    while True:
        page.wait_for_function(_PAGE_READY, arg=charts, timeout=PAGE_TIMEOUT_MS, polling=50)
        drawn = time.perf_counter()
        runs = page.evaluate("window.__manyiRuns")
        page.wait_for_timeout(SETTLE_MS)
        if page.evaluate("window.__manyiRuns") == runs and page.evaluate(_PAGE_READY, charts):
            return (drawn - started) * 1000


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
    """The queries of every page, as a first visit runs them: the latest complete month,
    everybody, then the breakdowns, lists and drill-downs below it."""
    from lib import billing, complaints, hotline, kpis, quality, staff
    from lib.periods import Period, default_start

    as_of = kpis.as_of()
    month = Period("month", default_start("month", kpis.period_starts("month"), as_of))
    day = Period("day", default_start("day", kpis.period_starts("day"), as_of))
    catalogue = kpis.catalog()
    first_watch = complaints.watchlist(limit=1)
    complaint_id = first_watch["complaint_id"].iloc[0] if len(first_watch) else ""
    staff_month = staff.months()[0]
    evaluation = staff.evaluation(staff_month, None, None)
    staff_id = evaluation["staff_id"].iloc[0] if len(evaluation) else ""
    guide_months = billing.tariff_months()
    tariff_month = guide_months[-1] if guide_months else month.start
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
        "staff evaluation(month)": lambda: staff.evaluation(staff_month, None, None),
        "staff hall_summary(month)": lambda: staff.hall_summary(staff_month, None),
        "staff history": lambda: staff.history(staff_id),
        "staff replies(month)": lambda: staff.replies(staff_id, staff_month),
        "vas violations(month)": lambda: billing.violations(billing.VAS_ORDERS, month),
        "tariff_savings(month)": lambda: billing.tariff_savings(tariff_month),
        "biggest_savings(month)": lambda: billing.biggest_savings(tariff_month, 20),
        "recommended_plans(month)": lambda: billing.recommended_plans(tariff_month),
        "deliveries": quality.deliveries,
        "freshness": quality.freshness,
        "quarantine_sample": lambda: quality.quarantine_sample(None, None, 200),
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
    url: str, session: str, pages: dict[str, str] | None = None, loads: int = PAGE_LOADS
) -> dict[str, dict[str, float]]:
    """Milliseconds from navigation until each page is drawn, signed in with the session
    token ``session``: the first load (the server's cache cold for this build) and p50/p95
    of ``loads`` more."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for name, path in (pages or PAGES).items():
                samples = []
                charts = 0
                for load in range(loads + 1):
                    context = browser.new_context(viewport={"width": 1440, "height": 1000})
                    context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": url}])
                    page = context.new_page()
                    page.add_init_script(_COUNT_RUNS)
                    started = time.perf_counter()
                    page.goto(url.rstrip("/") + path)
                    drawn_ms = _drawn_after(page, started, charts)
                    if load == 0:
                        charts, drawn_ms = _charts_to_come(page, started, drawn_ms)
                    samples.append(drawn_ms)
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
    loads.add_argument("session", help="a session token of the dashboard's data dir")
    loads.add_argument("--loads", type=int, default=PAGE_LOADS)
    args = parser.parse_args(argv)
    if args.command == "queries":
        result = measure_queries(args.serving_path, args.runs)
    else:
        result = measure_page_load(args.url, args.session, loads=args.loads)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
