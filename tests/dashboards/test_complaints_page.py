"""The complaints page on the KPI fixture (answers in kpi_fixture.py)."""

from __future__ import annotations

from pathlib import Path

from kpi_pages import assert_ok, captions, frame_with, infos, metrics, run_page, tiles

PAGE = "app_pages/complaints.py"
FIRST_REPLY = "投诉48小时首次回复及时率"


def test_tiles_and_trends_show_the_marts_figures(kpi_copy: Path) -> None:
    at = run_page(PAGE)
    assert at.title[0].value == "投诉"
    shown = tiles(at)
    assert len(shown) == 8  # the complaint domain of the catalogue
    assert shown[FIRST_REPLY].value == "95.0%"
    assert shown["投诉15日办结率"].value == "90.0%"
    assert shown["投诉处理满意率"].value == "--"
    assert shown["投诉督办率"].value == "5.0%"
    # Trend, two breakdowns (channel, category).
    assert len(at.get("plotly_chart")) == 3


def test_segment_filter_changes_the_tiles(kpi_copy: Path) -> None:
    at = run_page(PAGE)
    at.selectbox(key="cp_segment").set_value("channel:hotline_10086").run()
    assert_ok(at)
    assert tiles(at)[FIRST_REPLY].value == "90.0%"
    assert at.query_params["cp_segment"] == "channel:hotline_10086"
    at.selectbox(key="cp_segment").set_value("category:network_quality").run()
    assert tiles(at)[FIRST_REPLY].value == "87.5%"
    # The segment's label is translated, its code stays in the URL.
    assert "类别 · 网络质量" in at.selectbox(key="cp_segment").options


def test_a_filter_that_leaves_nothing_says_so(kpi_copy: Path) -> None:
    at = run_page(PAGE, cp_period="2026-09-01", cp_segment="channel:hall")
    assert all(tile.value == "--" for tile in tiles(at).values())
    # Said of the tiles, the trend and the breakdown, which draw no empty chart.
    assert infos(at).count("所选周期和细分下没有可评估的数据。") == 3
    assert not at.get("plotly_chart")


def test_breakdown_by_channel_and_category(kpi_copy: Path) -> None:
    at = run_page(PAGE, lang="en")
    table = frame_with(at, "Segment", "Numerator")
    rows = {(r.Breakdown, r.Segment): (r.Value, r.Status) for r in table.itertuples()}
    assert rows == {
        ("Channel", "Business hall"): ("100.0%", "On target"),
        ("Channel", "10086 hotline"): ("90.0%", "Off target"),
        ("Category", "Billing"): ("100.0%", "On target"),
        ("Category", "Network quality"): ("87.5%", "Off target"),
    }
    at.selectbox(key="cp_kpi").set_value("complaint_resolved_15d").run()
    assert_ok(at)
    # No breakdown rows for that KPI in the fixture: a sentence, no empty chart.
    assert "Nothing was assessed for this period and breakdown." in infos(at)


def test_watchlist_least_time_left_first(kpi_copy: Path) -> None:
    at = run_page(PAGE)
    assert {k: metrics(at)[k] for k in ("待首次回复", "临近超时", "已超 48 小时")} == {
        "待首次回复": "3",
        "临近超时": "1",
        "已超 48 小时": "1",
    }
    table = frame_with(at, "投诉编号", "剩余小时")
    assert table["投诉编号"].tolist() == ["C1", "C2", "C3"]
    assert table["预警"].tolist() == ["已超时", "临近超时", "等待中"]
    assert [round(h, 2) for h in table["剩余小时"]] == [-2.83, 9.17, 37.17]
    assert table["手机号（脱敏）"].tolist() == ["138****0001", "139****0002", "137****0003"]
    assert table["渠道"].tolist() == ["10086 热线", "营业厅", "营业厅"]


def test_watchlist_follows_the_segment(kpi_copy: Path) -> None:
    at = run_page(PAGE, cp_segment="channel:hall")
    assert frame_with(at, "投诉编号", "剩余小时")["投诉编号"].tolist() == ["C2", "C3"]
    assert metrics(at)["已超 48 小时"] == "0"


def test_untrusted_summaries_stay_plain_text(kpi_copy: Path) -> None:
    at = run_page(PAGE)
    summaries = frame_with(at, "投诉编号", "投诉内容")["投诉内容"].tolist()
    assert summaries[:2] == ['=HYPERLINK("http://x.example")', "<script>alert(1)</script>"]
    rendered = [m.value for m in at.markdown] + captions(at) + infos(at)
    assert not any("<script>" in text or "HYPERLINK" in text for text in rendered)


def test_timeline_of_one_complaint(kpi_copy: Path) -> None:
    at = run_page(PAGE, cp_complaint="C4", lang="en")
    steps = frame_with(at, "Milestone", "On time").set_index("Milestone")
    assert str(steps.loc["First reply", "Time"]) == "2026-10-05 12:00:00"
    assert steps.loc["First reply", "On time"] == "On time"
    assert steps.loc["First closed", "On time"] == "On time"
    assert steps.loc["First reached call-back", "Note"] == "Satisfied"
    facts = frame_with(at, "Field", "Detail").set_index("Field")["Detail"]
    assert facts["Status"] == "Closed"
    assert facts["Escalations"] == "1"
    assert facts["Summary"] == "套餐不合适"
    # Trend, breakdowns and the timeline.
    assert len(at.get("plotly_chart")) == 4


def test_timeline_of_a_late_complaint_and_an_unknown_id(kpi_copy: Path) -> None:
    at = run_page(PAGE, cp_complaint="C1", lang="en")
    steps = frame_with(at, "Milestone", "On time").set_index("Milestone")
    # No reply yet and the 48 hours are over.
    assert steps.loc["First reply", "On time"] == "Late"
    at.text_input(key="cp_complaint").set_value("NOPE").run()
    assert_ok(at)
    assert "No complaint has this id." in infos(at)
    assert at.query_params["cp_complaint"] == "NOPE"


def test_language_switch_changes_labels(kpi_copy: Path) -> None:
    at = run_page(PAGE)
    at.segmented_control(key="lang").set_value("en").run()
    assert_ok(at)
    assert at.title[0].value == "Complaints"
    assert tiles(at)["Complaints with a first reply within 48 h"].value == "95.0%"
    assert frame_with(at, "Complaint", "Watch")["Watch"].tolist() == ["Late", "At risk", "Waiting"]
    assert "48-hour first-reply watchlist" in [s.value for s in at.subheader]


def test_every_table_can_be_downloaded(kpi_copy: Path) -> None:
    at = run_page(PAGE, cp_complaint="C4")
    # Breakdown, watchlist, milestones and details: CSV and Excel each.
    assert len(at.get("download_button")) == 2 * len(at.dataframe) == 8
