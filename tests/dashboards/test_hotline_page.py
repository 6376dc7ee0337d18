"""The 10086 hotline page on the KPI fixture (answers in kpi_fixture.py)."""

from __future__ import annotations

from pathlib import Path

from kpi_pages import assert_ok, captions, frame_with, infos, metrics, run_page, tiles

PAGE = "app_pages/hotline.py"
CONNECTION = "人工接通率"
# The day with half-hour figures: its heatmap is the week up to it.
DAY = {"hl_grain": "day", "hl_period": "2026-11-20"}


def test_tiles_show_the_marts_figures(kpi_copy: Path) -> None:
    at = run_page(PAGE)
    assert at.title[0].value == "10086 热线"
    shown = tiles(at)
    assert len(shown) == 9
    assert (shown[CONNECTION].value, shown[CONNECTION].badge) == (
        "94.5%",
        ":orange-badge[接近目标]",
    )
    assert shown["15秒人工接通率"].value == "80.0%"
    assert shown["平均应答时长"].value == "18.0 秒"
    assert shown["IVR自助服务率"].value == "40.0%"
    assert shown["分级服务水平"].value == "--"


def test_queue_filter_changes_tiles_and_leaves_out_unsegmented_kpis(kpi_copy: Path) -> None:
    at = run_page(PAGE)
    at.selectbox(key="hl_segment").set_value("queue:vip").run()
    assert_ok(at)
    shown = tiles(at)
    assert shown[CONNECTION].value == "90.8%"
    # IVR self-service and satisfaction have no queue: left out, and said so.
    assert "IVR自助服务率" not in shown
    assert any("IVR自助服务率" in c and "队列" in c for c in captions(at))
    at.selectbox(key="hl_segment").set_value("brand:mzone").run()
    assert tiles(at)[CONNECTION].value == "92.1%"


def test_breakdown_by_queue_and_brand(kpi_copy: Path) -> None:
    at = run_page(PAGE, lang="en", hl_kpi="hotline_connection_rate")
    table = frame_with(at, "Segment", "Numerator")
    rows = {(r.Breakdown, r.Segment): r.Value for r in table.itertuples()}
    assert rows == {
        ("Queue", "Billing"): "100.0%",
        ("Queue", "VIP"): "90.8%",
        ("Brand", "GoTone"): "100.0%",
        ("Brand", "M-Zone"): "92.1%",
    }


def test_staffing_gap_of_a_day(kpi_copy: Path) -> None:
    at = run_page(PAGE, **DAY)
    shown = metrics(at)
    assert shown["人力不足的半小时"] == "1 / 3"
    assert shown["最大缺口（坐席）"] == "3.0"
    assert shown["当日人工请求量"] == "200"
    table = frame_with(at, "时段", "所需坐席")
    assert table["时段"].tolist() == ["09:00", "09:30", "10:00"]
    assert table["余缺"].tolist() == [-3.0, 2.0, 2.0]
    # The rates' trend, heatmap and staffing (the fixture has no other day figures).
    assert len(at.get("plotly_chart")) == 3
    assert at.selectbox(key="hl_day").options == ["2026-11-20", "2026-11-19"]

    at.selectbox(key="hl_day").set_value("2026-11-19").run()
    assert metrics(at)["人力不足的半小时"] == "0 / 1"
    assert metrics(at)["当日人工请求量"] == "50"


def test_staffing_follows_the_queue(kpi_copy: Path) -> None:
    at = run_page(PAGE, **DAY, hl_segment="queue:billing")
    shown = metrics(at)
    assert (shown["人力不足的半小时"], shown["最大缺口（坐席）"]) == ("1 / 1", "1.4")
    assert shown["当日人工请求量"] == "30"


def test_heatmap_measure_is_kept_in_the_url(kpi_copy: Path) -> None:
    at = run_page(PAGE, **DAY)
    at.segmented_control(key="hl_heat").set_value("agents_gap").run()
    assert_ok(at)
    assert at.query_params["hl_heat"] == "agents_gap"


def test_a_period_without_half_hours_says_so(kpi_copy: Path) -> None:
    # October has KPI figures but the fixture has half hours only in November.
    at = run_page(PAGE)
    assert "所选周期内没有半小时数据。" in infos(at)


def test_language_switch_changes_labels(kpi_copy: Path) -> None:
    at = run_page(PAGE, **DAY)
    at.segmented_control(key="lang").set_value("en").run()
    assert_ok(at)
    assert at.title[0].value == "10086 hotline"
    assert metrics(at)["Half hours short of agents"] == "1 / 3"
    assert "Half hour" in frame_with(at, "Agents needed").columns
    assert at.segmented_control(key="hl_heat").options == [
        "Agent requests",
        "Answered within 15 s",
        "Staffing gap (agents)",
    ]
