"""What the browser tests look for on a page of the running app, and its screenshots."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

# «--» (not assessed) as a metric shows it: a word joiner keeps the hyphens from being
# typeset as a dash (lib.kpis.NOT_ASSESSED_MD).
NOT_ASSESSED = "-\u2060-"


def expect_metric(page: Page, label: str, value: str) -> None:
    label_box = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    metric = page.get_by_test_id("stMetric").filter(has=label_box)
    expect(metric.get_by_test_id("stMetricValue")).to_have_text(value)


def wait_for_page(page: Page, title: str, *, charts: int) -> None:
    """The page's title, then ``charts`` plotly charts, each drawn (its SVG has its main
    layer), and no error box."""
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(charts)
    # One retrying assertion over all charts: a page that reruns replaces its chart elements,
    # so looking at them one by one can hold on to one that is gone.
    expect(page.locator(".js-plotly-plot:has(.main-svg)")).to_have_count(charts)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def screenshot(page: Page, path: Path, *, height: int = 4000) -> None:
    # Streamlit scrolls inside its own container, so a full-page shot needs a tall window.
    page.set_viewport_size({"width": 1440, "height": height})
    page.wait_for_timeout(1500)  # let the charts and tables re-layout
    page.screenshot(path=path)
    page.set_viewport_size({"width": 1440, "height": 1000})
