"""Overview, complaints and hotline pages in a real Chromium, on the KPI fixture
(tests/dashboards/kpi_fixture.py): figures, charts drawn, no error box, links, languages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import NOT_ASSESSED, expect_metric, screenshot, wait_for_page
from tests.dashboards.kpi_fixture import build_kpi_serving_copy

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# The first run of a page imports pandas, plotly and DuckDB: on a busy two-core machine the
# page fills in several seconds after its title, and charts come last.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def serving_builder() -> Callable[[Path], Path]:
    return build_kpi_serving_copy


def test_overview_links_to_complaints(app_url: str, page: Page, artifacts: Path) -> None:
    page.goto(app_url)
    expect(page.get_by_role("heading", name="总览", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(28)
    expect_metric(page, "投诉48小时首次回复及时率", "95.0%")
    expect_metric(page, "人工接通率", "94.5%")
    expect_metric(page, "投诉处理满意率", NOT_ASSESSED)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, artifacts / "overview_zh.png")

    page.get_by_role("link", name="查看投诉详情").click()
    wait_for_page(page, "投诉", charts=3)
    expect_metric(page, "投诉48小时首次回复及时率", "95.0%")
    expect_metric(page, "已超 48 小时", "1")
    screenshot(page, artifacts / "complaints_zh.png")


def test_a_chosen_period_travels_with_the_link(app_url: str, page: Page) -> None:
    page.goto(f"{app_url}/?ov_grain=week&ov_period=2026-11-02")
    expect_metric(page, "投诉48小时首次回复及时率", "90.0%")
    page.get_by_role("link", name="查看投诉详情").click()
    # Only the trend: the fixture has no weekly breakdown.
    wait_for_page(page, "投诉", charts=1)
    expect(page).to_have_url(re.compile(r"/complaints\?.*cp_grain=week"))
    assert "cp_period=2026-11-02" in page.url
    expect_metric(page, "投诉48小时首次回复及时率", "90.0%")


def test_picking_a_watchlist_row_opens_its_timeline(app_url: str, page: Page) -> None:
    page.goto(f"{app_url}/complaints?lang=en")
    wait_for_page(page, "Complaints", charts=3)
    tables = page.get_by_test_id("stDataFrame")
    expect(tables).to_have_count(2)  # the breakdown, then the watchlist
    # The grid is a canvas: the first row's selection box sits below the 35 px header.
    tables.nth(1).click(position={"x": 15, "y": 35 + 17})
    expect(page.get_by_label("Complaint id")).to_have_value("C1")
    expect(page).to_have_url(re.compile(r"cp_complaint=C1"))
    # Trend, two breakdowns and now the timeline.
    expect(page.locator(".js-plotly-plot")).to_have_count(4)


def test_complaint_timeline(app_url: str, page: Page, artifacts: Path) -> None:
    page.goto(f"{app_url}/complaints?lang=en&cp_complaint=C4")
    # Trend, two breakdowns, the timeline.
    wait_for_page(page, "Complaints", charts=4)
    expect(page.get_by_text("First reached call-back").first).to_be_visible()
    screenshot(page, artifacts / "complaints_timeline_en.png")


def test_hotline_day_with_heatmap_and_staffing(app_url: str, page: Page, artifacts: Path) -> None:
    page.goto(f"{app_url}/hotline?hl_grain=day&hl_period=2026-11-20")
    # The rates' trend, the heatmap and the staffing chart.
    wait_for_page(page, "10086 热线", charts=3)
    expect_metric(page, "人工接通率", "90.0%")
    expect_metric(page, "人力不足的半小时", "1 / 3")
    screenshot(page, artifacts / "hotline_zh.png")

    page.get_by_role("radio", name="English", exact=True).click()
    wait_for_page(page, "10086 hotline", charts=3)
    expect_metric(page, "Half hours short of agents", "1 / 3")
    assert "hl_grain=day" in page.url  # 2026-11-20 is that grain's default: not in the URL
    screenshot(page, artifacts / "hotline_en.png")


def test_a_chosen_breakdown_survives_the_language_switch(app_url: str, page: Page) -> None:
    page.goto(f"{app_url}/hotline?hl_segment=queue:vip")
    # The trends and the by-queue bars (the fixture has no October half hours).
    wait_for_page(page, "10086 热线", charts=2)
    breakdown = page.get_by_role("combobox", name="细分", exact=True)
    expect(breakdown).to_have_value("队列 · VIP 专席")
    expect_metric(page, "人工接通率", "90.8%")

    page.get_by_role("radio", name="English", exact=True).click()
    expect(page.get_by_role("heading", name="10086 hotline", exact=True)).to_be_visible()
    # The choice is shown under its English label, and is still the same choice.
    expect(page.get_by_role("combobox", name="Breakdown", exact=True)).to_have_value("Queue · VIP")
    expect_metric(page, "Agent requests answered", "90.8%")
    page.get_by_role("radio", name="中文", exact=True).click()
    expect(breakdown).to_have_value("队列 · VIP 专席")
    expect_metric(page, "人工接通率", "90.8%")
    assert "hl_segment=queue%3Avip" in page.url or "hl_segment=queue:vip" in page.url


def test_overview_in_english(app_url: str, page: Page, artifacts: Path) -> None:
    page.goto(f"{app_url}/?lang=en")
    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
    expect_metric(page, "Agent requests answered", "94.5%")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, artifacts / "overview_en.png")
