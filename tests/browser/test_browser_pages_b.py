"""Staff-ratings and billing-commitments pages in a real Chromium, on
tests/dashboards/staff_billing_fixture.py: figures, charts drawn, no error box, languages,
the drill-down to one staff member, and the overview's link to the billing page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import NOT_ASSESSED, expect_metric, screenshot, wait_for_page
from tests.dashboards.staff_billing_fixture import build_staff_billing_copy

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# The first run of a page imports pandas, plotly and DuckDB: on a busy two-core machine the
# page fills in several seconds after its title, and charts come last.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def serving_builder() -> Callable[[Path], Path]:
    return build_staff_billing_copy


def test_staff_page_drills_to_one_member(app_url: str, page: Page, artifacts: Path) -> None:
    page.goto(f"{app_url}/staff")
    # The halls' and the staff members' intervals.
    wait_for_page(page, "员工评价", charts=2)
    expect_metric(page, "短信评价满意率", "95.0%")
    expect_metric(page, "短信评价不满意率", "4.0%")
    expect(page.get_by_text("不足 30 条的样本太小，排名显示为 --", exact=False)).to_be_visible()
    screenshot(page, artifacts / "staff_zh.png", height=2600)

    # Choosing a staff member adds their months and their replies, and goes into the URL.
    picker = page.get_by_role("combobox", name="员工", exact=True)
    picker.click()
    picker.press("ArrowDown")
    page.get_by_role("option", name="李雷 · S1", exact=True).click()
    wait_for_page(page, "员工评价", charts=3)
    expect(page).to_have_url(re.compile(r"st_staff=S1"))
    expect(
        page.get_by_text("共 7 条回复；另有 43 条邀请未回复（或回复尚未到达）。")
    ).to_be_visible()
    # The raw reply text is in a table, never run as markup.
    expect(page.locator("script", has_text="alert(1)")).to_have_count(0)
    screenshot(page, artifacts / "staff_member_zh.png", height=3600)


def test_staff_page_in_english_from_a_link(app_url: str, page: Page, artifacts: Path) -> None:
    page.goto(f"{app_url}/staff?lang=en&st_team=hall&st_staff=S1")
    wait_for_page(page, "Staff ratings", charts=3)
    expect_metric(page, "SMS rating satisfaction", "95.0%")
    expect(page.get_by_text("7 replies; 43 more invitations have no reply (yet).")).to_be_visible()
    screenshot(page, artifacts / "staff_member_en.png", height=3400)


def test_billing_page_figures_and_lists(app_url: str, page: Page, artifacts: Path) -> None:
    page.goto(f"{app_url}/billing")
    # Five breakdowns by segment and the recommended plans.
    wait_for_page(page, "计费与承诺", charts=6)
    expect_metric(page, "计费差错率", "0.02%")
    expect_metric(page, "增值业务二次确认率", "90.0%")
    expect_metric(page, "先提醒后停机率", "80.0%")
    expect_metric(page, "流量提醒及时率", NOT_ASSESSED)
    expect_metric(page, "资费不适配率", "50.0%")
    expect_metric(page, "不适配用户 / 参评用户", "2 / 4")
    expect(page.get_by_text("2026-10 共 4 条。")).to_be_visible()
    screenshot(page, artifacts / "billing_zh.png", height=6200)

    page.get_by_role("radio", name="English", exact=True).click()
    wait_for_page(page, "Billing commitments", charts=6)
    expect_metric(page, "Overpaying / subscribers assessed", "2 / 4")
    expect(page).to_have_url(re.compile(r"/billing\?lang=en"))
    screenshot(page, artifacts / "billing_en.png", height=6200)


def test_overview_links_to_billing_on_its_period(app_url: str, page: Page) -> None:
    page.goto(f"{app_url}/?lang=en&ov_period=2026-09-01")
    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
    page.get_by_role("link", name="Open Billing and service commitments").click()
    # September has no segment figures: the recommended plans are its one chart.
    wait_for_page(page, "Billing commitments", charts=1)
    expect(page).to_have_url(re.compile(r"/billing\?.*bl_period=2026-09-01"))
    # September: one of two arrears suspensions reminded in time.
    expect_metric(page, "Arrears suspensions reminded 24 h ahead", "50.0%")
