"""The overview page on the KPI fixture (answers in kpi_fixture.py)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pytest
from kpi_fixture import build_kpi_serving_copy
from kpi_pages import OVERVIEW, assert_ok, captions, frame_with, infos, run_page, tiles
from lib import i18n

FIRST_REPLY = "投诉48小时首次回复及时率"
CONNECTION = "人工接通率"


def test_tiles_show_the_marts_figures(kpi_copy: Path) -> None:
    at = run_page(OVERVIEW)
    assert at.title[0].value == "总览"
    shown = tiles(at)
    # Every KPI of the catalogue has a tile, named as in the catalogue.
    assert len(shown) == 28
    assert shown[FIRST_REPLY].value == "95.0%"
    assert shown[FIRST_REPLY].change == "-3.0 个百分点"
    assert shown[FIRST_REPLY].target == "目标 ≥ 100.0%"
    assert shown[CONNECTION].value == "94.5%"
    assert shown[CONNECTION].change == "-0.5 个百分点"
    assert shown["平均应答时长"].value == "18.0 秒"
    assert shown["平均应答时长"].change == "-1.5 秒"
    assert shown["IVR自助服务率"].value == "40.0%"
    assert shown["计费差错率"].value == "0.005%"
    assert shown["计费差错率"].target == "目标 ≤ 0.01%"


def test_status_colours(kpi_copy: Path) -> None:
    shown = tiles(run_page(OVERVIEW))
    assert shown[FIRST_REPLY].badge == ":red-badge[未达标]"  # a 100 % promise: no margin
    assert shown[CONNECTION].badge == ":orange-badge[接近目标]"  # 0.5 pp short
    assert shown["15秒人工接通率"].badge == ":red-badge[未达标]"  # 5 pp short
    assert shown["平均应答时长"].badge == ":green-badge[达标]"
    assert shown["计费差错率"].badge == ":green-badge[达标]"
    assert shown["投诉督办率"].badge == ":gray-badge[无目标]"


def test_null_kpi_is_not_assessed(kpi_copy: Path) -> None:
    shown = tiles(run_page(OVERVIEW))
    # complaint_satisfaction has a row with denominator 0; rating_satisfaction no row at all.
    for name in ("投诉处理满意率", "短信评价满意率"):
        assert shown[name].value == "--"
        assert shown[name].badge == ":gray-badge[未评估]"
        assert shown[name].change == ""


def test_default_period_is_the_latest_complete_one(kpi_copy: Path) -> None:
    at = run_page(OVERVIEW)
    period = at.selectbox(key="ov_period")
    # as_of is 2026-11-21 22:50: November is still running.
    assert period.value == "2026-10-01"
    assert period.options[:2] == ["2026-11（未结束）", "2026-10"]
    assert "ov_period" not in at.query_params  # the default stays out of the URL


def test_period_and_grain_change_the_figures(kpi_copy: Path) -> None:
    at = run_page(OVERVIEW)
    at.selectbox(key="ov_period").set_value("2026-09-01").run()
    assert_ok(at)
    assert tiles(at)[FIRST_REPLY].value == "98.0%"
    assert tiles(at)[FIRST_REPLY].change == ""  # no August figure to compare with
    assert at.query_params["ov_period"] == "2026-09-01"

    at.segmented_control(key="ov_grain").set_value("week").run()
    assert_ok(at)
    assert at.selectbox(key="ov_period").value == "2026-11-09"
    assert tiles(at)[FIRST_REPLY].value == "100.0%"
    assert tiles(at)[FIRST_REPLY].change == "+10.0 个百分点"
    assert tiles(at)[CONNECTION].value == "95.0%"
    assert at.query_params["ov_grain"] == "week"

    at.segmented_control(key="ov_grain").set_value("day").run()
    assert at.selectbox(key="ov_period").value == "2026-11-20"
    assert tiles(at)[FIRST_REPLY].value == "75.0%"
    # Billing errors are counted per bill month only: said so, not just «--».
    assert tiles(at)["计费差错率"].value == "--"
    assert any("不按日统计" in c and "计费差错率" in c for c in captions(at))


def test_period_is_read_from_the_url(kpi_copy: Path) -> None:
    at = run_page(OVERVIEW, ov_grain="week", ov_period="2026-11-02")
    assert tiles(at)[FIRST_REPLY].value == "90.0%"
    # A period that does not exist falls back to the default.
    at = run_page(OVERVIEW, ov_grain="month", ov_period="1999-01-01")
    assert at.selectbox(key="ov_period").value == "2026-10-01"


def test_domain_links_keep_the_period(kpi_copy: Path) -> None:
    at = run_page(OVERVIEW, ov_grain="week", ov_period="2026-11-02")
    links = {link.value: link.proto for link in at.get("page_link")}
    assert links["查看投诉详情"].page == "complaints"
    assert links["查看投诉详情"].query_string == "cp_grain=week&cp_period=2026-11-02"
    assert links["查看10086 热线详情"].query_string == "hl_grain=week&hl_period=2026-11-02"


def test_language_switch_changes_labels(kpi_copy: Path) -> None:
    at = run_page(OVERVIEW)
    at.segmented_control(key="lang").set_value("en").run()
    assert_ok(at)
    assert at.title[0].value == "Overview"
    shown = tiles(at)
    tile = shown["Complaints with a first reply within 48 h"]
    assert (tile.value, tile.change, tile.target) == ("95.0%", "-3.0 pp", "Target ≥ 100.0%")
    assert tile.badge == ":red-badge[Off target]"
    assert shown["Average speed of answer"].value == "18.0 s"
    assert [s.value for s in at.subheader][:2] == ["Complaints", "10086 hotline"]
    assert at.selectbox(key="ov_period").options[0] == "2026-11 (in progress)"


def test_figures_table_and_downloads(kpi_copy: Path) -> None:
    at = run_page(OVERVIEW, lang="en")
    table = frame_with(at, "KPI", "Status").set_index("KPI")
    row = table.loc["Agent requests answered"]
    assert row[["Value", "Status", "Change"]].tolist() == ["94.5%", "Near target", "-0.5 pp"]
    assert row[["Numerator", "Denominator"]].tolist() == [945, 1000]
    assert len(table) == 28
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download Excel"]


def test_without_kpi_marts_the_page_says_so(serving_copy: Path) -> None:
    # The data-quality fixture has audit tables only.
    at = run_page(OVERVIEW)
    assert infos(at) == [i18n._LABELS["kpi.no_kpis"][0]]
    assert not tiles(at)


def test_page_renders_while_builds_swap(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A page runs several queries, each on a fresh read-only open of the file; builds
    swapped in meanwhile (as the pipeline publishes them) never make it fail."""
    served = build_kpi_serving_copy(data_dir)
    builds = [build_kpi_serving_copy(tmp_path_factory.mktemp(f"kpi_build{i}")) for i in range(2)]
    con = duckdb.connect(str(builds[1]))
    con.execute(
        "UPDATE marts.kpi_values SET numerator = 90, value = 0.9 WHERE kpi_id = $1 "
        "AND grain = 'month' AND period_start = '2026-10-01' AND segment_type = 'all'",
        ("complaint_first_reply_48h",),
    )
    con.close()
    stop = threading.Event()

    def publish() -> None:
        i = 0
        while not stop.is_set():
            staged = served.with_name(f"staged{i}.duckdb")
            shutil.copyfile(builds[i % 2], staged)
            staged.replace(served)
            i += 1

    publisher = threading.Thread(target=publish)
    publisher.start()
    try:
        for _ in range(3):
            at = run_page(OVERVIEW)
            assert tiles(at)[FIRST_REPLY].value in {"95.0%", "90.0%"}
    finally:
        stop.set()
        publisher.join()
