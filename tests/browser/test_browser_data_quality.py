"""The data-quality page in a real Chromium: figures, no error box, language switch, filters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import expect_metric, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# The first run of a page imports pandas, plotly and DuckDB: on a busy two-core machine the
# page fills in several seconds after its title, and charts come last.
expect.set_options(timeout=30_000)


def wait_for_page(page: Page, title: str) -> None:
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(6)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()


def assert_no_error_box(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_page_shows_fixture_figures_in_both_languages(
    app_url: str, page: Page, artifacts: Path
) -> None:
    page.goto(f"{app_url}/data-quality")
    wait_for_page(page, "数据质量")
    assert_no_error_box(page)
    expect_metric(page, "交付文件", "6")
    expect_metric(page, "入库行数", "40")
    expect_metric(page, "隔离行数", "5")
    expect_metric(page, "仍被拒收的文件", "1")
    expect_metric(page, "数据截至", "2026-11-02 23:59")
    expect(page).to_have_url(f"{app_url}/data-quality?lang=zh")
    # Only the app's formula-safe downloads: Streamlit's own table export is switched off.
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    screenshot(page, artifacts / "data_quality_zh.png")

    page.get_by_role("radio", name="English", exact=True).click()
    wait_for_page(page, "Data quality")
    assert_no_error_box(page)
    expect_metric(page, "Rows quarantined", "5")
    expect(page).to_have_url(f"{app_url}/data-quality?lang=en")
    screenshot(page, artifacts / "data_quality_en.png")


def test_filters_live_in_the_url(app_url: str, page: Page) -> None:
    page.goto(f"{app_url}/data-quality?lang=en&dq_table=hotline_calls&dq_reason=rule_broken")
    wait_for_page(page, "Data quality")
    expect(page.get_by_text("Showing 2 of 2 matching rows.")).to_be_visible()

    # Choosing another reason in the page changes the table and the URL.
    # A click only focuses this combobox; the arrow key opens its list.
    reason = page.get_by_role("combobox", name="Reason", exact=True)
    reason.click()
    reason.press("ArrowDown")
    page.get_by_role("option", name="bad_phone", exact=True).click()
    expect(page.get_by_text("Showing 1 of 1 matching rows.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"dq_reason=bad_phone"))
    assert "dq_table=hotline_calls" in page.url
    assert_no_error_box(page)
