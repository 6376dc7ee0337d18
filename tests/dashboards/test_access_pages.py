"""Who sees which page, and which rows, on the staff/billing fixture (staff_billing_fixture.py).

Users (users_fixture.py): gao executive, qa quality, li hall manager of H1, view viewer.
October 2026 in the staff mart: H1 胜利路营业厅 has S1 李雷 and S2 韩梅梅, H2 光明路营业厅 has
S3 王芳, S4 张伟 (hotline) has no hall. Expected rows are read from the marts by hand-written
SQL, never from the page's own query functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from access_harness import Downloads, mart
from kpi_pages import APP, TIMEOUT, assert_ok, frame_with, run_page, sign_in, tiles
from staff_billing_fixture import serve_for_module
from streamlit.testing.v1 import AppTest

from pipelines.access import store
from pipelines.access.policy import ROLE_PAGES, Page, Role

PAGE_FILES = {
    Page.OVERVIEW: "app_pages/overview.py",
    Page.COMPLAINTS: "app_pages/complaints.py",
    Page.HOTLINE: "app_pages/hotline.py",
    Page.STAFF: "app_pages/staff.py",
    Page.BILLING: "app_pages/billing.py",
    Page.DATA_QUALITY: "app_pages/data_quality.py",
}
TITLES = {
    Page.OVERVIEW: "Overview",
    Page.COMPLAINTS: "Complaints",
    Page.HOTLINE: "10086 hotline",
    Page.STAFF: "Staff ratings",
    Page.BILLING: "Billing commitments",
    Page.DATA_QUALITY: "Data quality",
}
REFUSED = "Your role may not open this page."
OCT = "2026-10-01"
ROLES = {"gao": Role.EXECUTIVE, "qa": Role.QUALITY, "li": Role.HALL_MANAGER, "view": Role.VIEWER}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from serve_for_module(tmp_path_factory, "access_pages")


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("user", list(ROLES))
def test_each_role_opens_exactly_its_pages(served: Path, user: str) -> None:
    assert set(PAGE_FILES) == set(Page), "every page of the policy is tried"
    at = run_page("app_pages/overview.py", user=user, lang="en")
    opened = set()
    for page, file in PAGE_FILES.items():
        # A switch is what a direct URL does: the page is asked for by its URL path.
        at.switch_page(file).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.title[0].value == TITLES[page]
        if REFUSED in errors(at):
            # Refused before the page's script ran: nothing of it is on the screen.
            assert not at.dataframe and not at.metric and not at.get("plotly_chart")
            assert not at.get("download_button")
        else:
            assert_ok(at)
            opened.add(page)
    assert opened == set(ROLE_PAGES[ROLES[user]])


def test_a_role_lands_on_its_home_page(served: Path) -> None:
    at = run_page("app_pages/staff.py", user="li", lang="en")
    assert at.title[0].value == "Staff ratings"
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT)
    fresh.query_params["lang"] = "en"
    sign_in(fresh.run(), "li")
    # Signed in at "/": the hall manager's home is the staff page, not the overview.
    assert fresh.title[0].value == "Staff ratings"


def test_a_forged_url_shows_a_refusal_not_the_data(served: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    sign_in(at.run(), "view").switch_page(PAGE_FILES[Page.DATA_QUALITY]).run()
    assert errors(at) == [REFUSED]
    assert not at.dataframe and not at.metric


def test_hall_manager_sees_only_their_halls_staff(served: Path, downloads: Downloads) -> None:
    at = run_page("app_pages/staff.py", user="li", lang="en")
    expected = mart(
        served,
        "SELECT staff_id, staff_name FROM marts.staff_evaluation_monthly "
        "WHERE month = ? AND hall_id = 'H1' ORDER BY staff_id",
        [OCT],
    )
    assert expected == [("S1", "李雷"), ("S2", "韩梅梅")]
    # One hall to choose from, theirs; no "all halls".
    assert at.selectbox(key="st_hall").options == ["胜利路营业厅"]
    table = frame_with(at, "Rank in team", "Staff ID")
    assert sorted(zip(table["Staff ID"], table["Name"], strict=True)) == expected
    halls = frame_with(at, "Staff")
    assert halls["Hall ID"].tolist() == ["H1"]
    # The hall's KPIs, not the city's: H1 65/70 satisfied.
    assert tiles(at)["SMS rating satisfaction"].value == "92.9%"
    # The downloads hold what the tables hold: their hall only.
    files = downloads.csv_rows(at, "staff_evaluation")
    assert sorted((r["Staff ID"], r["Name"]) for r in files) == expected
    assert [r["Hall ID"] for r in downloads.csv_rows(at, "staff_halls")] == ["H1"]


def test_hall_manager_cannot_reach_other_halls_by_url(served: Path) -> None:
    at = run_page("app_pages/staff.py", user="li", lang="en", st_hall="H2", st_staff="S3")
    assert at.selectbox(key="st_hall").value == "H1"
    assert "S3" not in frame_with(at, "Rank in team", "Staff ID")["Staff ID"].tolist()
    assert at.selectbox(key="st_staff").value == ""
    # A staff member of their hall opens, but single replies are the quality role's.
    at = run_page("app_pages/staff.py", user="li", lang="en", st_staff="S1")
    assert "Single replies are open to the quality role only." in [c.value for c in at.caption]
    assert not [d for d in at.dataframe if "Reply text" in d.value.columns]


def test_viewer_sees_no_staff_names(served: Path) -> None:
    at = run_page("app_pages/staff.py", user="view", lang="en", st_staff="S1")
    names = {
        row[0] for row in mart(served, "SELECT staff_name FROM marts.staff_evaluation_monthly")
    }
    shown = {str(v) for d in at.dataframe for column in d.value for v in d.value[column]}
    assert at.dataframe, "the halls' totals are shown"
    assert not names & shown
    assert "st_staff" not in [s.key for s in at.selectbox]
    assert any("Individual staff evaluations" in c.value for c in at.caption)


def test_viewer_sees_no_single_cases_on_billing(served: Path) -> None:
    at = run_page("app_pages/billing.py", user="view", lang="en")
    assert tiles(at), "the KPI figures are shown"
    assert not [d for d in at.dataframe if "Phone (masked)" in d.value.columns]


def test_executive_sees_names_but_not_single_replies(served: Path) -> None:
    at = run_page("app_pages/staff.py", user="gao", lang="en", st_staff="S1")
    assert sorted(frame_with(at, "Rank in team", "Staff ID")["Staff ID"]) == [
        "S1",
        "S2",
        "S3",
        "S4",
    ]
    assert "Single replies are open to the quality role only." in [c.value for c in at.caption]
    at = run_page("app_pages/staff.py", user="qa", lang="en", st_staff="S1")
    assert len(frame_with(at, "Reply text")) == 7


def probe(username: str) -> dict[str, object]:
    at = AppTest.from_file(Path(__file__).with_name("data_layer_probe.py"), default_timeout=TIMEOUT)
    # Where this browser tab's sign-in keeps its token (lib.auth).
    at.session_state["_manyi_token"] = store.start_session(username).token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at.session_state["probe"]


def test_queries_are_cut_to_the_role_where_the_data_is_read(served: Path) -> None:
    hall_kpis = ["rating_dissatisfaction", "rating_satisfaction"]
    assert probe("li") == {
        "role": "hall_manager",
        "months": ["2026-11-01", "2026-10-01", "2026-09-01"],
        "halls": ["H1"],
        "evaluation": ["S1", "S2"],
        "evaluation_names": ["李雷", "韩梅梅"],
        "hall_summary": ["H1"],
        "history_S3": 0,
        "replies_S1": "refused",
        "kpis_by_hall": hall_kpis,
        "kpis_all": 0,
        "refund_violations": "refused",
        "tariff_savings": "refused",
        "deliveries": "refused",
        "can_cases": True,
    }
    viewer = probe("view")
    assert {k: viewer[k] for k in ("evaluation", "evaluation_names", "history_S3")} == {
        "evaluation": "refused",
        "evaluation_names": "refused",
        "history_S3": "refused",
    }
    assert viewer["hall_summary"] == ["H1", "H2", None]
    assert viewer["replies_S1"] == viewer["refund_violations"] == viewer["deliveries"] == "refused"
    assert viewer["tariff_savings"] == 92.5 and not viewer["can_cases"]
    executive = probe("gao")
    assert executive["evaluation"] == ["S1", "S2", "S3", "S4"]
    assert executive["replies_S1"] == "refused" and executive["refund_violations"] == 1
    october_all = mart(
        served,
        "SELECT count(*) FROM marts.kpi_values WHERE grain = 'month' "
        "AND period_start = ? AND segment_type = 'all'",
        [OCT],
    )[0][0]
    assert executive["kpis_all"] == october_all > 0
    assert probe("qa")["replies_S1"] == 7


def test_downloads_are_audited(served: Path, downloads: Downloads) -> None:
    at = run_page("app_pages/staff.py", user="li", lang="en", st_team="hall")
    before = len(store.downloads(1000))
    downloads.files(at)
    after = store.downloads(1000)
    # The hall totals and the evaluation, as CSV and as Excel: four files, four entries.
    assert len(after) == before + 4
    made = after[:4]
    evaluation_csv = next(
        d for d in made if d["table_name"] == "staff_evaluation" and d["file_format"] == "csv"
    )
    assert evaluation_csv["username"] == "li" and evaluation_csv["role"] == "hall_manager"
    assert evaluation_csv["page"] == "staff" and evaluation_csv["row_count"] == 2
    assert evaluation_csv["filters"] == '{"st_team": "hall"}'
