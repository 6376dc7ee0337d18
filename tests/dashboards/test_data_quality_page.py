"""The data-quality page, run headless with AppTest against the hand-made serving copy."""

from __future__ import annotations

import csv
import io
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from kpi_pages import DEFAULT_USER, sign_in
from lib import export, i18n, serving
from serving_fixture import build_serving_copy
from streamlit.testing.v1 import AppTest

from pipelines.contract import REASONS, TABLES

APP = Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py"
PAGE = "app_pages/data_quality.py"
TIMEOUT = 30


def run_app(**query_params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query_params)
    # Signed in, the overview is the home page: this one is reached by a switch.
    return sign_in(at.run(), DEFAULT_USER).switch_page(PAGE).run()


def run_function(script: Callable[[], None]) -> AppTest:
    return AppTest.from_function(script, default_timeout=TIMEOUT).run()


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The one table on the page that has all ``columns`` (translated headers)."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) == 1, f"{len(found)} tables with columns {columns}"
    return found[0]


def test_summary_equals_fixture(serving_copy: Path) -> None:
    at = run_app()
    assert_ok(at)
    assert at.title[0].value == "数据质量"
    assert metrics(at) == {
        "最近一次成功构建": "2026-11-03 02:00",
        "数据截至": "2026-11-02 23:59",
        "交付文件": "6",
        "入库行数": "40",
        "隔离行数": "5",
        "仍被拒收的文件": "1",
    }


def test_deliveries_per_table_equal_fixture(serving_copy: Path) -> None:
    at = run_app(lang="en")
    table = frame_with(at, "Rows read").set_index("Table")
    assert table.loc["complaints", ["Files", "Loads", "Rejected loads"]].tolist() == [2, 2, 0]
    assert table.loc["complaints", ["Rows read", "Rows loaded", "Rows quarantined"]].tolist() == [
        15,
        13,
        2,
    ]
    assert table.loc["complaints", "Rows replaced"] == 1
    assert table.loc["agent_shifts", ["Files", "Loads", "Rejected loads"]].tolist() == [1, 2, 1]
    assert table.loc["hotline_calls", ["Files", "Rejected loads", "Rows quarantined"]].tolist() == [
        2,
        1,
        3,
    ]
    assert table["Unaccounted"].eq(0).all()
    assert table.loc["sms_ratings", "Name"] == "SMS ratings"


def test_freshness_lists_every_contract_table(serving_copy: Path) -> None:
    at = run_app(lang="en")
    table = frame_with(at, "Latest file").set_index("Table")
    assert list(table.index) == [t.name for t in TABLES]
    # The rejected delivery is later but is not the latest *loaded* file.
    assert table.loc["hotline_calls", "Latest file"] == "calls_20261102.csv"
    assert str(table.loc["complaints", "Finished at"]) == "2026-11-03 01:00:00"
    assert pd.isna(table.loc["payments", "Latest file"])
    # From marts.data_quality_freshness, where the build published it.
    assert table.loc["complaints", ["Rows in warehouse", "Hours behind"]].tolist() == [13, 2.0]
    assert pd.isna(table.loc["payments", "Latest event"])


def test_rejected_files_and_reason_counts(serving_copy: Path) -> None:
    at = run_app(lang="en")
    rejected = frame_with(at, "File", "Finished at")
    reasons = frame_with(at, "Reason explained", "Rows")
    # shifts_20261102.csv was rejected, then loaded: only calls_broken.csv is outstanding.
    assert rejected[["File", "Reason"]].values.tolist() == [["calls_broken.csv", "missing_column"]]
    counts = {(r.Table, r.Reason): r.Rows for r in reasons.itertuples()}
    assert counts == {
        ("complaints", "bad_enum"): 1,
        ("complaints", "missing_required"): 1,
        ("hotline_calls", "rule_broken"): 2,
        ("hotline_calls", "bad_phone"): 1,
    }
    assert len(at.get("plotly_chart")) == 1


def test_orphans_shown_when_published(serving_copy: Path) -> None:
    at = run_app(lang="en")
    assert "Orphan records" in [s.value for s in at.subheader]
    counts = frame_with(at, "Referenced table", "Rows")
    assert counts[["Table", "Referring column", "Rows"]].values.tolist() == [
        ["complaint_events", "complaint_id", 2],
        ["hotline_calls", "agent_id", 1],
    ]
    records = frame_with(at, "Record key")
    assert sorted(records["Missing value"]) == ["A77", "C404", "C405"]


def test_language_switch_changes_labels(serving_copy: Path) -> None:
    at = run_app()
    assert at.query_params["lang"] == "zh"
    assert "各表交付情况" in [s.value for s in at.subheader]

    at.segmented_control(key="lang").set_value("en").run()
    assert_ok(at)
    assert at.title[0].value == "Data quality"
    assert "Deliveries per table" in [s.value for s in at.subheader]
    assert "Rows loaded" in metrics(at)
    assert at.query_params["lang"] == "en"


def test_language_is_read_from_url(serving_copy: Path) -> None:
    assert run_app(lang="en").title[0].value == "Data quality"
    assert run_app(lang="xx").title[0].value == "数据质量"


def test_filter_changes_the_sample(serving_copy: Path) -> None:
    at = run_app(lang="en")
    assert len(frame_with(at, "Raw line")) == 5

    at.selectbox(key="dq_table").set_value("hotline_calls").run()
    sample = frame_with(at, "Raw line")
    assert set(sample["Table"]) == {"hotline_calls"}
    assert len(sample) == 3

    at.selectbox(key="dq_reason").set_value("rule_broken").run()
    assert frame_with(at, "Raw line")["Line"].tolist() == [2, 5]


def test_filters_are_read_from_url(serving_copy: Path) -> None:
    at = run_app(lang="en", dq_table="complaints", dq_reason="bad_enum")
    assert_ok(at)
    sample = frame_with(at, "Raw line")
    assert sample["Line"].tolist() == [3]
    assert "Showing 1 of 1 matching rows." in [c.value for c in at.caption]


def test_untrusted_text_is_shown_as_plain_text(serving_copy: Path) -> None:
    at = run_app(lang="en")
    raw_lines = frame_with(at, "Raw line")["Raw line"].tolist()
    assert any("<script>alert(1)</script>" in line for line in raw_lines)
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("<script>" in text or "HYPERLINK" in text for text in rendered)


def test_empty_state_without_serving_copy(data_dir: Path) -> None:
    at = run_app()
    assert_ok(at)
    assert [i.value for i in at.info] == [i18n._LABELS["app.no_build"][0]]
    assert not at.dataframe


def test_empty_sections_say_so(data_dir: Path) -> None:
    path = build_serving_copy(data_dir, build_info=False, marts=False)
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM audit.quarantine")
    con.execute("DELETE FROM audit.load_log WHERE status = 'rejected'")
    con.close()
    at = run_app(lang="en")
    assert_ok(at)
    infos = [i.value for i in at.info]
    assert "No file is still rejected." in infos
    assert "No row has been quarantined." in infos
    assert not at.get("plotly_chart")
    assert "Orphan records" not in [s.value for s in at.subheader]
    assert "Hours behind" not in frame_with(at, "Latest file").columns
    # Without audit.build_info the page falls back to the file time and says so.
    shown = metrics(at)
    assert "Published at (file time)" in shown
    assert shown["Data as of"] == "not recorded"


def test_new_build_is_picked_up(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    served = build_serving_copy(data_dir)
    at = run_app(lang="en")
    assert metrics(at)["Files delivered"] == "6"

    # The next build, finished elsewhere and swapped in like the pipeline does.
    fresh = build_serving_copy(tmp_path_factory.mktemp("next_build"))
    con = duckdb.connect(str(fresh))
    con.execute(
        "INSERT INTO audit.load_log (table_name, source_file, status, rows_read, rows_loaded, "
        "rows_quarantined, rows_replaced) VALUES ('halls', 'halls.csv', 'loaded', 3, 3, 0, 0)"
    )
    con.close()
    fresh.replace(served)
    at.run()
    assert metrics(at)["Files delivered"] == "7"


def test_reads_survive_swaps(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Queries running while the pipeline swaps builds in never fail and never mix builds."""
    served = build_serving_copy(data_dir)
    builds = [build_serving_copy(tmp_path_factory.mktemp(f"build{i}")) for i in range(2)]
    con = duckdb.connect(str(builds[1]))
    con.execute("DELETE FROM audit.load_log WHERE table_name = 'sms_ratings'")
    con.close()
    stop = threading.Event()

    def publish() -> None:
        for i in range(40):
            staged = served.with_name(f"staged{i}.duckdb")
            shutil.copyfile(builds[i % 2], staged)
            staged.replace(served)
        stop.set()

    publisher = threading.Thread(target=publish)
    publisher.start()
    seen = set()
    while not stop.is_set():
        seen.add(int(serving.query("SELECT count(*) AS n FROM audit.load_log")["n"].iloc[0]))
    publisher.join()
    assert seen <= {7, 6}


def test_kpi_names_come_from_the_catalogue(serving_copy: Path) -> None:
    def page() -> None:
        import streamlit as st
        from lib import i18n

        st.session_state.setdefault("lang", "en")
        st.text(i18n.kpi_name("complaint_satisfaction"))

    assert run_function(page).text[0].value == "complaint_satisfaction"
    con = duckdb.connect(str(serving_copy))
    con.execute(
        "CREATE TABLE marts.kpi_catalog AS SELECT 'complaint_satisfaction' AS kpi_id, "
        "'投诉处理满意率' AS name_zh, 'Complaint handling satisfaction' AS name_en"
    )
    con.close()
    assert run_function(page).text[0].value == "Complaint handling satisfaction"


def test_every_table_and_reason_has_labels() -> None:
    assert set(i18n.TABLE_NAMES) == {t.name for t in TABLES}
    assert set(i18n.REASONS_ZH) == set(REASONS)


DANGEROUS = ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1:A2)", "\tTAB", "\rCR"]


def sample_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"text": [*DANGEROUS, "正常文本"], "number": [-1, 1, 2, 3, 4, 5, 6]},
    )


def test_csv_export_neutralises_formulas() -> None:
    data = export.to_csv(sample_frame())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    texts = [row[0] for row in rows[1:]]
    assert texts == [f"'{value}" for value in DANGEROUS] + ["正常文本"]
    assert rows[1][1] == "-1"  # numbers stay numbers


def test_excel_export_neutralises_formulas() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(sample_frame(), "sample")))
    sheet = book["sample"]
    texts = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(DANGEROUS) + 1)]
    # openpyxl reads a carriage return back in its escaped form (_x000D_), so compare starts.
    assert [c.value[:2] for c in texts] == [f"'{value}"[:2] for value in DANGEROUS[:-1]] + [
        "'_",
        "正常",
    ]
    assert texts[0].value == '\'=HYPERLINK("x")'
    assert all(c.data_type == "s" for c in texts)
    assert sheet.cell(row=2, column=2).value == -1


@pytest.mark.parametrize("value", ["", "a=b", "1+1", "普通"])
def test_harmless_text_is_unchanged(value: str) -> None:
    assert export.neutralise(value) == value
