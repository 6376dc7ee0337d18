"""The billing-commitments page (计费与承诺), run headless with AppTest on
staff_billing_fixture.py (October 2026 is the default period: the latest complete month)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from kpi_pages import assert_ok, frame_with, run_page, tiles
from lib import export
from lib.periods import Period
from staff_billing_fixture import build_staff_billing_copy, serve_for_module
from streamlit.testing.v1 import AppTest

PAGE = "app_pages/billing.py"
MASKED_PHONE = r"1\d\d\*{4}\d{4}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from serve_for_module(tmp_path_factory, "billing_page")


def run(**query_params: str) -> AppTest:
    return run_page(PAGE, **query_params)


def values(at: AppTest) -> dict[str, str]:
    return {label: tile.value for label, tile in tiles(at).items()}


def listed(at: AppTest, id_column: str) -> list[str]:
    return frame_with(at, id_column)[id_column].tolist()


def refunds(at: AppTest) -> list[str]:
    return frame_with(at, "Dispute", "Shortfall")["Dispute"].tolist()


def errors(at: AppTest) -> list[str]:
    """The billing-error list: disputes, without the double-refund list's refund columns."""
    (found,) = [
        d.value
        for d in at.dataframe
        if "Dispute" in d.value.columns and "Shortfall" not in d.value.columns
    ]
    return found["Dispute"].tolist()


def test_kpi_figures_equal_the_marts(served: Path) -> None:
    at = run()
    assert at.title[0].value == "计费与承诺"
    assert at.selectbox(key="bl_period").value == "2026-10-01"
    assert values(at) == {
        "计费差错率": "0.02%",
        "收费误差双倍返还兑现率": "75.0%",
        "增值业务二次确认率": "90.0%",
        "增值业务扣费提醒率": "85.0%",
        "先提醒后停机率": "80.0%",
        "缴费到账提醒率": "99.0%",
        # Only September has data-alert figures: October is not assessed.
        "流量提醒及时率": "--",
        "资费不适配率": "50.0%",
    }
    shown = tiles(at)
    assert shown["计费差错率"].target == "目标 ≤ 0.01%"
    assert "red" in shown["先提醒后停机率"].badge
    # Section titles are the catalogue's KPI names.
    assert "增值业务二次确认率 · 增值业务扣费提醒率" in [s.value for s in at.subheader]


def test_violation_lists_match_the_kpis(served: Path) -> None:
    at = run(lang="en")
    # October's cases only (each list has one September case), newest first.
    assert refunds(at) == ["D1"]
    # The two erroneous items of October's bills (the KPI's 2 of 10 000); one bill month,
    # so in dispute order.
    assert errors(at) == ["E1", "E2"]
    assert listed(at, "Suspension") == ["P1"]
    orders = frame_with(at, "Order").set_index("Order")
    assert list(orders.index) == ["V4", "V3", "V2", "V1"]
    # As many cases as the KPIs miss: 20 − 18 unconfirmed, 20 − 17 not reminded.
    assert orders["Violation"].str.contains("No second confirmation|No confirmation").sum() == 2
    assert orders["Violation"].str.contains("reminder").sum() == 3
    assert orders.loc["V2", "Violation"] == "No confirmation and no reminder"
    refund = frame_with(at, "Dispute", "Shortfall").iloc[0]
    assert refund[
        ["Violation", "Bill item", "Due refund (2×)", "Refunded", "Shortfall"]
    ].tolist() == [
        "Refund below twice the error",
        "Voice calls",
        20.0,
        10.0,
        10.0,
    ]
    assert "1 in 2026-10." in [c.value for c in at.caption]
    # 1 000 − 990 payments confirmed in time, all by the app.
    payments = frame_with(at, "Payment")
    assert payments["Payment"].tolist() == [f"Y{i}" for i in range(10, 0, -1)]
    assert set(payments["Violation"]) == {"No confirmation SMS"}
    assert set(payments["Channel"]) == {"Mobile app"}
    # No data alert is assessed in October: nothing to list.
    assert "No violation in 2026-10." in [m.value for m in at.success]


def test_lists_show_masked_phones_only(served: Path) -> None:
    at = run(lang="en")
    phones = [d.value for d in at.dataframe if "Phone (masked)" in d.value.columns]
    assert len(phones) == 6  # five compliance lists with October cases, the tariff savings
    for frame in phones:
        assert frame["Phone (masked)"].str.fullmatch(MASKED_PHONE).all()
    assert not any("customer_key" in d.value.columns for d in at.dataframe)


def test_breakdowns_by_segment(served: Path) -> None:
    at = run()
    # Billing errors and double refunds by item, VAS (two KPIs) by order channel, payment
    # confirmations by channel; no data-alert figure in October, no suspension segment.
    parts = [d.value for d in at.dataframe if "细分" in d.value.columns]
    assert [set(p["细分维度"]) for p in parts] == [{"账单科目"}] * 2 + [{"订购渠道"}] * 2 + [
        {"渠道"}
    ]
    errors = parts[0].set_index("细分")
    assert errors.loc["语音通话", ["数值", "分子", "分母"]].tolist() == ["0.05%", 2, 4000]
    assert errors.loc["数据业务", "数值"] == "0.0%"
    confirmation = parts[2].set_index("细分")
    assert confirmation.loc["短信", ["数值", "状态"]].tolist() == ["80.0%", "未达标"]
    assert parts[4].set_index("细分").loc["手机营业厅 App", "数值"] == "98.0%"
    assert len(at.get("plotly_chart")) == 6  # five breakdowns and the recommended plans


def test_period_filter_changes_figures_and_lists(served: Path) -> None:
    at = run(lang="en", bl_period="2026-09-01")
    assert values(at)["Arrears suspensions reminded 24 h ahead"] == "50.0%"
    assert refunds(at) == ["D0"]
    assert errors(at) == ["E0"]
    assert listed(at, "Order") == ["V0"]
    assert listed(at, "Suspension") == ["P0"]
    assert listed(at, "Payment") == ["Y0"]
    late_alert = frame_with(at, "Crossed at").iloc[0]
    assert late_alert[["Violation", "Month", "Threshold"]].tolist() == [
        "Alert after 60 minutes",
        "2026-09",
        "80 % used",
    ]

    # The period picker in the page (Chinese: AppTest matches options by their label).
    at = run()
    at.selectbox(key="bl_period").set_value("2026-09-01").run()
    assert_ok(at)
    assert at.query_params["bl_period"] == "2026-09-01"
    assert listed(at, "订单编号") == ["V0"]


def test_violation_type_filter(served: Path) -> None:
    at = run()
    at.selectbox(key="bl_vas_violation").set_value("no_charge_reminder").run()
    assert_ok(at)
    assert listed(at, "订单编号") == ["V4", "V3"]
    assert at.query_params["bl_vas_violation"] == "no_charge_reminder"
    linked = run(lang="en", bl_vas_violation="no_confirmation")
    assert listed(linked, "Order") == ["V1"]


def test_week_grain(served: Path) -> None:
    at = run(lang="en", bl_grain="week")
    assert at.selectbox(key="bl_period").value == "2026-10-19"
    shown = values(at)
    assert shown["VAS orders reminded before the first charge"] == "50.0%"
    # Month-only KPIs are not assessed by week, and the page says why.
    assert shown["Billing error rate"] == "--"
    assert any("measured by month only" in c.value for c in at.caption)
    assert listed(at, "Order") == ["V4", "V3"]
    week = Period("week", date(2026, 10, 19)).label()
    assert f"No violation in {week}." in [s.value for s in at.success]
    # The tariff guide is monthly: the month that holds the week.
    assert "Tariff guide · 2026-10" in [s.value for s in at.subheader]


def test_tariff_guide(served: Path) -> None:
    at = run(lang="en")
    metric = {m.label: m.value for m in at.metric}
    assert metric["Overpaying / subscribers assessed"] == "2 / 4"
    assert metric["Total saving in the month"] == "¥92.50"
    assert metric["Mean saving per subscriber"] == "¥46.25"
    plans = frame_with(at, "Current plan", "Subscribers")
    assert plans[
        ["Current plan", "Recommended plan", "Subscribers", "Total saving"]
    ].values.tolist() == [
        ["P88", "P38", 1, 80.0],
        ["P58", "P38", 1, 12.5],
    ]
    savings = frame_with(at, "Saving share")
    assert savings["Phone (masked)"].tolist() == ["138****1001", "138****1002"]
    assert savings["Saving share"].tolist() == pytest.approx([0.625, 12.5 / 58])


def test_language_switch_changes_labels(served: Path) -> None:
    at = run()
    assert "资费导购 · 2026-10" in [s.value for s in at.subheader]
    at.segmented_control(key="lang").set_value("en").run()
    assert_ok(at)
    assert at.title[0].value == "Billing commitments"
    assert "Billing errors refunded double within 7 days" in [s.value for s in at.subheader]
    assert "Tariff guide · 2026-10" in [s.value for s in at.subheader]


def test_untrusted_text_is_inert_and_neutralised_in_exports(served: Path) -> None:
    at = run(lang="en")
    orders = frame_with(at, "Order")
    assert orders.set_index("Order").loc["V1", "Product"] == '=HYPERLINK("x")'
    assert not any("HYPERLINK" in m.value for m in at.markdown)
    rows = list(csv.DictReader(io.StringIO(export.to_csv(orders).decode("utf-8-sig"))))
    assert [r["Product"] for r in rows if r["Order"] == "V1"] == ['\'=HYPERLINK("x")']


def test_every_table_has_downloads(served: Path) -> None:
    at = run()
    assert len(at.download_button) == 2 * len(at.dataframe)


def test_no_kpis_published(data_dir: Path) -> None:
    path = build_staff_billing_copy(data_dir)
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE marts.kpi_values")
    con.close()
    at = run(lang="en")
    assert "This build published no KPI figures (marts.kpi_values)." in [i.value for i in at.info]


def test_lists_or_guide_missing_from_the_build(data_dir: Path) -> None:
    path = build_staff_billing_copy(data_dir)
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE marts.vas_orders_without_consent")
    con.execute("DROP TABLE marts.tariff_recommendations")
    con.close()
    at = run(lang="en")
    infos = [i.value for i in at.info]
    assert "This build did not publish the list (marts.vas_orders_without_consent)." in infos
    assert "No tariff guide for 2026-10." in infos
    assert refunds(at) == ["D1"]
    assert isinstance(frame_with(at, "Suspension"), pd.DataFrame)
