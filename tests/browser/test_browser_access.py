"""Access control in a real Chromium against `streamlit run dashboards/server.py`, on the
staff/billing fixture (tests/dashboards/staff_billing_fixture.py) and the test users
(gao executive, qa quality, li hall manager of H1, view viewer).

The sign-in form, the HttpOnly session cookie set by the server's route, each role's
navigation, refused URLs, a hall manager's download against the mart, sign-out, expiry and
the rate limit: what AppTest cannot see (cookies, redirects, real downloads).
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from pipelines.access import store
from pipelines.access.policy import ROLE_PAGES, Role
from tests.browser.conftest import Server
from tests.dashboards.staff_billing_fixture import build_staff_billing_copy
from tests.dashboards.users_fixture import BY_ROLE, password

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
expect.set_options(timeout=30_000)

SIGN_IN = "Sign in to Manyi"


@pytest.fixture(scope="module")
def serving_builder() -> Callable[[Path], Path]:
    return build_staff_billing_copy


def sign_in_form(page: Page, username: str, secret: str) -> None:
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(secret)
    page.get_by_role("button", name="Sign in", exact=True).click()


def expect_sign_in_only(page: Page) -> None:
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible()
    expect(page.get_by_test_id("stTopNavLink")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)


def nav_paths(page: Page) -> set[str]:
    """The URL paths the navigation links to, once two reads a moment apart agree: the run
    after sign-in draws the navigation again, and a read while it is replaced finds none."""
    links = page.get_by_test_id("stTopNavLink")
    deadline = time.monotonic() + 10
    before: set[str] | None = None
    while True:
        expect(links.first).to_be_visible()
        paths = {re.sub(r"^https?://[^/]+/", "", links.nth(i).get_attribute("href") or "")
                 for i in range(links.count())}  # fmt: skip
        if (paths and paths == before) or time.monotonic() > deadline:
            return paths
        before = paths
        page.wait_for_timeout(300)


def session_cookie(context: BrowserContext) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == "manyi_session"), None)


def wait_for_cookie(context: BrowserContext, *, present: bool) -> dict | None:
    """The page shows its new state at once; the browser's trip through the cookie route
    follows a moment later."""
    deadline = time.monotonic() + 30
    while (session_cookie(context) is not None) != present:
        assert time.monotonic() < deadline, (
            f"session cookie still {'missing' if present else 'set'}"
        )
        time.sleep(0.2)
    return session_cookie(context)


@pytest.mark.parametrize("path", ["/", "/staff", "/data-quality?lang=en"])
def test_an_anonymous_visitor_sees_only_the_sign_in(
    server: Server, anonymous_context: BrowserContext, path: str
) -> None:
    page = anonymous_context.new_page()
    page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}lang=en")
    expect_sign_in_only(page)
    assert session_cookie(anonymous_context) is None


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_its_pages(
    server: Server, anonymous_context: BrowserContext, role: Role
) -> None:
    page = anonymous_context.new_page()
    page.goto(f"{server.url}/?lang=en")
    sign_in_form(page, BY_ROLE[role], password(BY_ROLE[role]))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # "/" opened the role's home page, under its own URL.
    expect(page).to_have_url(re.compile(f"/{ROLE_PAGES[role][0]}\\?lang=en$"))
    assert nav_paths(page) == set(ROLE_PAGES[role])
    # The cookie the route set: HttpOnly (no script reads it), Strict, until the session ends.
    cookie = wait_for_cookie(anonymous_context, present=True)
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "manyi_session" not in page.evaluate("document.cookie")
    assert 7 * 3600 < cookie["expires"] - time.time() <= 8 * 3600
    # A reload is still signed in: the session travels in the cookie.
    page.reload()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize(("role", "path"), [(Role.HALL_MANAGER, "billing"),
                                            (Role.HALL_MANAGER, "overview"),
                                            (Role.VIEWER, "data-quality")])  # fmt: skip
def test_a_forged_url_is_refused(
    server: Server, anonymous_context: BrowserContext, role: Role, path: str
) -> None:
    server.sign_in(anonymous_context, BY_ROLE[role])
    page = anonymous_context.new_page()
    page.goto(f"{server.url}/{path}?lang=en")
    expect(page.get_by_text("Your role may not open this page.")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    assert path not in nav_paths(page)


def test_a_hall_managers_download_holds_only_their_halls(
    server: Server, anonymous_context: BrowserContext
) -> None:
    server.sign_in(anonymous_context, "li")
    page = anonymous_context.new_page()
    page.goto(f"{server.url}/staff?lang=en")
    evaluation = page.get_by_test_id("stDataFrame").nth(1)
    expect(evaluation).to_be_visible()
    buttons = page.get_by_test_id("stDownloadButton").filter(has_text="Download CSV")
    with page.expect_download() as download:
        buttons.nth(1).click()
    assert download.value.suggested_filename == "staff_evaluation.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    shown = sorted((r["Staff ID"], r["Name"]) for r in csv.DictReader(io.StringIO(text)))
    serving = server.data_dir / "warehouse" / "serving.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:
        expected = con.execute(
            "SELECT staff_id, staff_name FROM marts.staff_evaluation_monthly "
            "WHERE month = '2026-10-01' AND hall_id = 'H1' ORDER BY staff_id"
        ).fetchall()
    assert shown == expected == [("S1", "李雷"), ("S2", "韩梅梅")]
    with sqlite3.connect(server.data_dir / "access.sqlite3") as con:
        audit = con.execute(
            "SELECT username, role, page, table_name, file_format, row_count FROM downloads "
            "WHERE table_name = 'staff_evaluation'"
        ).fetchall()
    assert audit == [("li", "hall_manager", "staff", "staff_evaluation", "csv", 2)]


def test_sign_out(server: Server, anonymous_context: BrowserContext) -> None:
    page = anonymous_context.new_page()
    page.goto(f"{server.url}/?lang=en")
    sign_in_form(page, "gao", password("gao"))
    wait_for_cookie(anonymous_context, present=True)
    page.get_by_role("button", name="Sign out").click()
    expect_sign_in_only(page)
    wait_for_cookie(anonymous_context, present=False)
    page.reload()
    expect_sign_in_only(page)


def test_an_expired_session_is_asked_to_sign_in_again(
    server: Server, anonymous_context: BrowserContext
) -> None:
    nine_hours_ago = time.time() - 9 * 3600
    token = server.session_token("gao", started=nine_hours_ago)
    anonymous_context.add_cookies([{"name": "manyi_session", "value": token, "url": server.url}])
    page = anonymous_context.new_page()
    page.goto(f"{server.url}/?lang=en")
    expect_sign_in_only(page)


def failed_sign_ins(server: Server, username: str) -> int:
    with sqlite3.connect(server.data_dir / "access.sqlite3") as con:
        return con.execute(
            "SELECT count(*) FROM sign_in_attempts WHERE username_masked = ? AND NOT succeeded",
            (username,),
        ).fetchone()[0]


# Last in the module: it locks "view" out of the form for 15 minutes.
def test_wrong_passwords_are_rejected_then_rate_limited(
    server: Server, anonymous_context: BrowserContext
) -> None:
    page = anonymous_context.new_page()
    page.goto(f"{server.url}/?lang=en")
    before = failed_sign_ins(server, "view")
    for n in range(1, store.MAX_FAILURES_PER_USER + 1):
        sign_in_form(page, "view", "wrong-password")
        expect(page.get_by_text("Wrong username or password.")).to_be_visible()
        # One click, one attempt: wait until the server has counted it before the next.
        deadline = time.monotonic() + 30
        while failed_sign_ins(server, "view") < before + n:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    sign_in_form(page, "view", password("view"))
    expect(page.get_by_text(re.compile("Too many failed sign-ins"))).to_be_visible()
    expect_sign_in_only(page)
