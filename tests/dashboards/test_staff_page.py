"""The staff-ratings page (员工评价), run headless with AppTest on staff_billing_fixture.py.

Wilson 95 % interval, z = 1.96, by hand: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)
  S1, 36 of 40: lower (0.94802 − 0.104640) / 1.09604 = 0.769479, upper 1.05266 / 1.09604
                = 0.960421
  S4, 3 of 5:   lower (0.98416 − 0.576174) / 1.76832 = 0.230720, upper 0.882382
  H1 (S1 + S2), 65 of 69: lower 0.860206, upper 0.977228
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pytest
from kpi_pages import assert_ok, frame_with, run_page, tiles
from lib import export, i18n, staff
from serving_fixture import build_serving_copy
from staff_billing_fixture import REPLY_ORDER, build_staff_billing_copy, serve_for_module
from streamlit.testing.v1 import AppTest

PAGE = "app_pages/staff.py"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from serve_for_module(tmp_path_factory, "staff_page")


def run(**query_params: str) -> AppTest:
    return run_page(PAGE, **query_params)


def metrics(at: AppTest) -> dict[str, str]:
    return {label: tile.value for label, tile in tiles(at).items()}


def evaluation(at: AppTest) -> pd.DataFrame:
    return frame_with(at, "Rank in team").set_index("Staff ID")


def test_evaluation_table_equals_the_mart(served: Path) -> None:
    at = run(lang="en")
    assert_ok(at)
    assert at.title[0].value == "Staff ratings"
    # October: the latest month that had ended at as_of (2026-11-02), not November.
    assert at.selectbox(key="st_period").value == "2026-10-01"
    table = evaluation(at)
    # Team by team (hall, then hotline): ranked staff in rank order, then the unranked by
    # their lower bound.
    assert list(table.index) == ["S3", "S1", "S2", "S4"]
    s1 = table.loc["S1"]
    assert s1[["Name", "Hall", "Team", "Invitations", "Valid replies"]].tolist() == [
        "李雷",
        "胜利路营业厅",
        "Hall",
        50,
        40,
    ]
    assert s1[["Satisfied", "Fairly satisfied", "Dissatisfied"]].tolist() == [36, 0, 4]
    assert s1["Satisfaction"] == pytest.approx(0.9)
    assert s1["Lower bound"] == pytest.approx(0.769479, abs=1e-6)
    assert s1["Upper bound"] == pytest.approx(0.960421, abs=1e-6)
    assert s1["Last month"] == pytest.approx(34 / 35)
    assert table.loc["S4", ["Lower bound", "Upper bound"]].tolist() == pytest.approx(
        [0.230720, 0.882382], abs=1e-6
    )
    assert table.loc["S4", "Team"] == "10086 hotline"
    assert table.loc["S4", "FCR"] == pytest.approx(0.85)


def test_rank_only_from_30_valid_replies(served: Path) -> None:
    at = run(lang="en")
    table = evaluation(at)
    assert table.loc["S3", "Rank in team"] == 1
    assert table.loc["S1", "Rank in team"] == 2
    # S2: 29 of 29, a better bound than S1's, but too few replies to rank.
    assert table.loc["S2", "Valid replies"] == 29
    assert pd.isna(table.loc["S2", "Rank in team"])
    assert pd.isna(table.loc["S4", "Rank in team"])
    # An empty cell is drawn as «--», and the note says why.
    shown = next(d for d in at.dataframe if "Rank in team" in d.value.columns)
    assert shown.proto.placeholder == "--"
    assert any("fewer are too few to rank fairly and show --" in c.value for c in at.caption)


def test_hall_totals_and_intervals(served: Path) -> None:
    at = run(lang="en")
    halls = frame_with(at, "Staff", "Lower bound").set_index("Hall")
    assert halls.loc["胜利路营业厅", ["Staff", "Valid replies", "Satisfied"]].tolist() == [
        2,
        69,
        65,
    ]
    assert halls.loc["胜利路营业厅", ["Lower bound", "Upper bound"]].tolist() == pytest.approx(
        [0.860206, 0.977228], abs=1e-6
    )
    # The hotline agent has no hall: a row of its own, so the totals add up.
    assert halls.loc["No hall (hotline etc.)", "Valid replies"] == 5
    assert len(at.get("plotly_chart")) == 2


def numbers(encoded: object) -> list[float]:
    """A plotly array as sent to the browser: plotly 7 packs numbers as base64 ``bdata``."""
    if isinstance(encoded, dict):
        return np.frombuffer(base64.b64decode(encoded["bdata"]), encoded["dtype"]).tolist()
    return list(encoded)


def test_interval_chart_draws_wilson_error_bars(served: Path) -> None:
    at = run(lang="en")
    charts = list(at.get("plotly_chart"))
    large, small = json.loads(charts[1].proto.spec)["data"]
    assert large["name"] == "30 or more valid replies"
    # S2 (29 replies) sits with the small samples, drawn open.
    assert small["y"] == ["韩梅梅 · S2", "张伟 · S4"]
    assert small["marker"]["symbol"] == "circle-open"
    s1 = large["y"].index("李雷 · S1")
    assert numbers(large["x"])[s1] == pytest.approx(0.9)
    error = large["error_x"]
    assert numbers(error["arrayminus"])[s1] == pytest.approx(0.9 - 0.769479, abs=1e-6)
    assert numbers(error["array"])[s1] == pytest.approx(0.960421 - 0.9, abs=1e-6)


def test_rating_kpis_for_the_month_and_hall(served: Path) -> None:
    at = run()
    assert_ok(at)
    assert at.title[0].value == "员工评价"
    assert metrics(at) == {
        "短信评价参评率": "50.0%",
        "短信评价满意率": "95.0%",
        "短信评价不满意率": "4.0%",
    }
    at.selectbox(key="st_hall").set_value("H1").run()
    # H1: 65 of 70 satisfied, 3 of 70 dissatisfied; no response-rate row: not assessed.
    assert metrics(at) == {
        "短信评价参评率": "--",
        "短信评价满意率": "92.9%",
        "短信评价不满意率": "4.3%",
    }


def test_filters_change_the_table_and_the_url(served: Path) -> None:
    # In Chinese: AppTest matches a chosen option by its label, formatted in the test's
    # process, where no language has been chosen.
    at = run()
    at.selectbox(key="st_hall").set_value("H1").run()
    assert_ok(at)
    assert sorted(frame_with(at, "组内排名")["工号"]) == ["S1", "S2"]
    assert at.query_params["st_hall"] == "H1"

    at.selectbox(key="st_hall").set_value("all").run()
    at.selectbox(key="st_team").set_value("hotline").run()
    assert frame_with(at, "组内排名")["工号"].tolist() == ["S4"]
    assert at.query_params["st_team"] == "hotline"
    assert "st_hall" not in at.query_params  # the default stays out of the URL

    at.selectbox(key="st_team").set_value("all").run()
    at.selectbox(key="st_period").set_value("2026-09-01").run()
    table = frame_with(at, "组内排名").set_index("工号")
    assert list(table.index) == ["S1"]
    assert table.loc["S1", ["有效评价", "组内排名"]].tolist() == [35, 1]
    assert at.query_params["st_period"] == "2026-09-01"


def test_filters_are_read_from_the_url(served: Path) -> None:
    at = run(lang="en", st_period="2026-11-01", st_team="hall")
    assert_ok(at)
    table = evaluation(at)
    assert list(table.index) == ["S1"]
    assert table.loc["S1", "Valid replies"] == 10
    # The overview links with its period: a week opens the month that holds it.
    linked = run(lang="en", st_period="2026-09-14", st_grain="week")
    assert linked.selectbox(key="st_period").value == "2026-09-01"


def test_a_filter_that_leaves_nothing_says_so(served: Path) -> None:
    at = run(lang="en", st_hall="H2", st_team="hotline")
    assert_ok(at)
    assert "No staff evaluation matches the filters: choose another hall, team or month." in [
        i.value for i in at.info
    ]
    assert "Rank in team" not in [c for d in at.dataframe for c in d.value.columns]


def test_language_switch_changes_labels(served: Path) -> None:
    at = run()
    assert "员工评价表" in [s.value for s in at.subheader]
    assert "组内排名" in frame_with(at, "组内排名").columns
    at.segmented_control(key="lang").set_value("en").run()
    assert_ok(at)
    assert at.title[0].value == "Staff ratings"
    assert "Staff evaluation table" in [s.value for s in at.subheader]
    assert evaluation(at).loc["S1", "Team"] == "Hall"


def drill_to_s1(**query_params: str) -> AppTest:
    at = run(st_staff="S1", **query_params)
    assert_ok(at)
    return at


def test_drill_to_a_staff_members_months(served: Path) -> None:
    at = drill_to_s1(lang="en")
    history = frame_with(at, "Month", "Lower bound")
    assert history["Month"].tolist() == ["2026-09", "2026-10", "2026-11"]
    assert history["Valid replies"].tolist() == [35, 40, 10]
    assert history["Upper bound"].iloc[2] == pytest.approx(0.982124, abs=1e-6)
    assert len(at.get("plotly_chart")) == 3
    # Halls, staff, months, replies: each table with its CSV and Excel download.
    assert len(at.dataframe) == 4
    assert len(at.download_button) == 2 * len(at.dataframe)


def test_replies_dissatisfied_first(served: Path) -> None:
    at = drill_to_s1(lang="en")
    replies = frame_with(at, "Reply text")
    assert replies["Invitation"].tolist() == REPLY_ORDER
    assert replies["Rating"].tolist()[:4] == [
        "Dissatisfied",
        "Dissatisfied",
        "Fairly satisfied",
        "Satisfied",
    ]
    assert set(replies["Rating"].iloc[4:]) == {"Not understood", "Late (after 48 h)"}
    # Masked phones only; the invitation without a reply is counted, not listed.
    assert replies["Phone (masked)"].str.fullmatch(r"1\d\d\*{4}\d{4}").all()
    assert "7 replies; 43 more invitations have no reply (yet)." in [c.value for c in at.caption]


def test_reply_text_is_inert_and_neutralised_in_exports(served: Path) -> None:
    at = drill_to_s1(lang="en")
    replies = frame_with(at, "Reply text")
    texts = replies["Reply text"].tolist()
    # Shown verbatim, as plain text in a table: never as Markdown or HTML.
    assert "<script>alert(1)</script>" in texts
    assert '=HYPERLINK("x")' in texts
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("<script>" in text or "HYPERLINK" in text for text in rendered)
    # The downloads are built from this very table (lib.export).
    names = {b.proto.label for b in at.download_button}
    assert names == {"Download CSV", "Download Excel"}
    rows = list(csv.DictReader(io.StringIO(export.to_csv(replies).decode("utf-8-sig"))))
    assert '\'=HYPERLINK("x")' in [r["Reply text"] for r in rows]
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(replies, "replies"))).active
    cells = [c.value for c in sheet["B"]]
    assert '\'=HYPERLINK("x")' in cells
    assert all(c.data_type == "s" for c in sheet["B"][1:])


def test_empty_states(data_dir: Path) -> None:
    # No build yet: the app's one empty state.
    at = run(lang="en")
    assert_ok(at)
    assert [i.value for i in at.info] == [i18n._LABELS["app.no_build"][1]]
    # A build without the evaluation mart.
    build_serving_copy(data_dir)
    at = run(lang="en")
    assert_ok(at)
    assert "This build has no staff evaluation data yet." in [i.value for i in at.info]


def test_replies_missing_from_the_build(data_dir: Path) -> None:
    con = duckdb.connect(str(build_staff_billing_copy(data_dir)))
    con.execute("DROP TABLE marts.staff_rating_replies")
    con.close()
    at = drill_to_s1(lang="en")
    assert "This build publishes no individual replies (marts.staff_rating_replies)." in [
        i.value for i in at.info
    ]


def test_wilson_bounds_match_the_model() -> None:
    bounds = staff.wilson_bounds(pd.Series([36, 3, 0, 0]), pd.Series([40, 5, 0, 7]))
    assert bounds["lower"].iloc[:2].tolist() == pytest.approx([0.769479, 0.230720], abs=1e-6)
    assert bounds["upper"].iloc[:2].tolist() == pytest.approx([0.960421, 0.882382], abs=1e-6)
    # No valid reply: nothing to bound. None satisfied: the interval starts at 0.
    assert bounds.iloc[2].isna().all()
    assert bounds["lower"].iloc[3] == pytest.approx(0.0)
