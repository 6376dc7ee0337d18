"""Each report, sent to a real SMTP server on loopback and read back as received."""

from __future__ import annotations

import html
from datetime import date, datetime
from pathlib import Path

import pytest

from pipelines.reports import compose, config
from pipelines.reports.config import ReportsConfig
from pipelines.reports.delivery import MailDelivery
from tests.reports import mail_parts
from tests.reports.conftest import Inbox
from tests.reports.serving_fixture import FORMULA_NAME, FORMULA_SUMMARY, SCRIPT_SUMMARY

DAILY_KPI_LINES = [
    "投诉48小时首次回复及时率 | 90.00% | ≥ 100.00% | -10.00个百分点 | 未达标 | 10",
    "人工接通率 | 94.50% | ≥ 95.00% | -- | 未达标 | 1,000",
    "人工呼损率 | 8.00% | ≤ 5.00% | -- | 未达标 | 1,000",
    "平均应答时长 | 25.0秒 | ≤ 20.0秒 | +7.0秒 | 未达标 | 50",
    "投诉督办率 | -- | — | -- | 未评估 |",
    "15秒人工接通率 | 88.00% | ≥ 85.00% | +8.00个百分点 | 达标 | 100",
    "平均处理时长 | 240.0秒 | — | -- | 无目标 | 50",
    "短信评价满意率 | 97.00% | ≥ 95.00% | -- | 达标 | 100",
]


def _send(name: str, day: date, config: ReportsConfig, mail: MailDelivery, inbox: Inbox):
    compose.send(name, day, config, mail)
    (received,) = inbox.received
    return received


def test_daily_briefing(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    received = _send("daily", date(2026, 11, 3), reports_config, mail, smtp_server)
    msg = received.message

    assert msg["Subject"] == "【满意】每日简报 2026-11-02 · 未达标 4 项"
    assert sorted(received.rcpt_tos) == ["boss@manyi.test", "quality@manyi.test"]
    assert msg["To"].addresses[0].addr_spec == "boss@manyi.test"
    assert msg["From"].addresses[0].display_name == "满意数据平台"
    lines = mail_parts.text_lines(msg)
    # The KPI table, red first, then catalogue order; segment rows and month-only KPIs absent.
    start = lines.index("指标 | 数值 | 目标 | 较前日 | 状态 | 样本数") + 1
    assert lines[start : start + len(DAILY_KPI_LINES)] == DAILY_KPI_LINES
    body = mail_parts.html_body(msg)
    assert "计费差错率" not in body and "50.00%" not in body
    for figure in (
        "90.00%",
        "-10.00个百分点",
        "25.0秒",
        "+8.00个百分点",
        "数据截至 2026-11-02 23:50",
    ):
        assert figure in body
    # Complaints due today: C1 and C2 (C3 is already late, C4 is due tomorrow).
    assert "C1 | 2026-11-01 10:00 | 网络质量 | 138****0001 | 张三 | 九州路营业厅" in "\n".join(
        lines
    )
    assert "C2 |" in "\n".join(lines) and "C4 |" not in "\n".join(lines)
    assert "另有 1 件投诉已超过48小时仍未回复" in body
    # The day's violations: VAS 1 of 2, refunds 2 of 3, suspensions 0 of 1.
    assert "增值业务未经确认或提醒扣费 | 1 | 2" in lines
    assert "收费误差未双倍返还 | 2 | 3" in lines
    assert "欠费停机未提前提醒 | 0 | 1" in lines
    assert "D1 | 133****0021 | data | 5.00 | 10.00 |  | 2026-11-02 12:00 |  | 未返还" in lines

    filename, book = mail_parts.workbook(msg)
    assert filename == "每日简报_2026-11-02.xlsx"
    assert book.sheetnames == [
        "投诉预警",
        "增值业务未经确认或提醒扣费",
        "收费误差未双倍返还",
        "欠费停机未提前提醒",
    ]
    complaints = mail_parts.sheet_rows(book, "投诉预警")
    assert [r[0] for r in complaints[1:]] == ["C1", "C2", "C3"]
    assert complaints[1][1] == datetime(2026, 11, 1, 10, 0)
    assert [r[10] for r in complaints[1:]] == ["今日到期", "今日到期", "已超时"]
    assert [r[0] for r in mail_parts.sheet_rows(book, "收费误差未双倍返还")[1:]] == ["D1", "D2"]
    assert len(mail_parts.sheet_rows(book, "欠费停机未提前提醒")) == 1


def test_untrusted_text_is_escaped_in_html_and_neutralised_in_excel(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    msg = _send("daily", date(2026, 11, 3), reports_config, mail, smtp_server).message

    body = mail_parts.html_body(msg)
    assert "<script>" not in body
    assert html.escape(SCRIPT_SUMMARY) in body
    assert html.escape(FORMULA_SUMMARY) in body
    _, book = mail_parts.workbook(msg)
    sheet = book["投诉预警"]
    header = [c.value for c in sheet[1]]
    summaries = {row[0].value: row[header.index("投诉摘要")] for row in sheet.iter_rows(min_row=2)}
    assert summaries["C2"].value == "'" + FORMULA_SUMMARY
    assert summaries["C2"].data_type == "s"
    assert summaries["C1"].value == SCRIPT_SUMMARY
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_only_masked_phone_numbers_leave(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    msg = _send("daily", date(2026, 11, 3), reports_config, mail, smtp_server).message

    assert not mail_parts.PLAIN_PHONE.search(mail_parts.html_body(msg))
    assert not mail_parts.PLAIN_PHONE.search(mail_parts.text_body(msg))
    _, book = mail_parts.workbook(msg)
    cells = [str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v]
    assert "138****0001" in cells
    assert not any(mail_parts.PLAIN_PHONE.search(c) for c in cells)


def test_weekly_report_has_a_trend_chart_per_domain(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    received = _send("weekly", date(2026, 11, 2), reports_config, mail, smtp_server)
    msg = received.message

    assert msg["Subject"] == "【满意】周报 2026-10-26 至 2026-11-01 · 未达标 2 项"
    assert received.rcpt_tos == ["boss@manyi.test"]
    lines = mail_parts.text_lines(msg)
    for line in (
        "投诉48小时首次回复及时率 | 96.00% | ≥ 100.00% | -4.00个百分点 | 未达标 | 100",
        "15秒人工接通率 | 87.00% | ≥ 85.00% | +4.00个百分点 | 达标 | 100",
        "平均应答时长 | 23.0秒 | ≤ 20.0秒 | +4.5秒 | 未达标 | 100",
        "短信评价满意率 | 96.00% | ≥ 95.00% | -2.00个百分点 | 达标 | 100",
    ):
        assert line in lines
    body = mail_parts.html_body(msg)
    pngs = mail_parts.images(msg)
    assert len(pngs) == 3  # complaints, hotline, ratings
    for part in pngs:
        data = part.get_content()
        width, height = mail_parts.png_size(data)
        assert width > 0 and height > 0 and len(data) > 1000
        assert f'src="cid:{part["Content-ID"].strip("<>")}"' in body
    assert "数据只到" not in body


def test_monthly_staff_evaluation_attaches_a_sheet_per_hall(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    received = _send("monthly", date(2026, 11, 1), reports_config, mail, smtp_server)
    msg = received.message

    assert msg["Subject"] == "【满意】月度员工评价表 2026年10月"
    assert received.rcpt_tos == ["halls@manyi.test"]
    lines = mail_parts.text_lines(msg)
    assert "九州路营业厅 | 2 | 70 | 50 | 43 | 2 | 86.00%" in lines
    assert "热线坐席 | 1 | 70 | 60 | 54 | 2 | 90.00%" in lines
    assert "营业厅 | 1 | 张三 | 九州路营业厅 | 40 | 90.00% | 76.95%" in lines

    filename, book = mail_parts.workbook(msg)
    assert filename == "员工评价表_2026-10.xlsx"
    assert book.sheetnames == ["汇总", "九州路营业厅", "滨江营业厅", "热线坐席"]
    assert mail_parts.sheet_rows(book, "汇总")[1] == ("九州路营业厅", 2, 70, 50, 43, 2, 0.86)
    hall = mail_parts.sheet_rows(book, "九州路营业厅")
    assert [r[0] for r in hall[1:]] == ["S1", "S2"]  # September's row is not October's
    assert hall[1][:3] == ("S1", "张三", "营业厅")
    assert hall[2][1] == "'" + FORMULA_NAME
    assert book["九州路营业厅"]["I2"].number_format == "0.00%"
    assert mail_parts.sheet_rows(book, "热线坐席")[1][13:] == (300, 0.8)


@pytest.mark.parametrize("name", ["daily", "monthly"])
def test_a_report_in_english(
    name: str, serving_copy: Path, config_file: Path, mail: MailDelivery, smtp_server: Inbox
) -> None:
    config_file.write_text(
        config_file.read_text(encoding="utf-8").replace(
            'subject_prefix = "【满意】"', 'subject_prefix = "[Manyi] "\nlanguage = "en"'
        ),
        encoding="utf-8",
    )
    english = config.load(config_file)
    day = date(2026, 11, 3) if name == "daily" else date(2026, 11, 1)
    msg = _send(name, day, english, mail, smtp_server).message

    subject, phrase = {
        "daily": (
            "[Manyi] Daily briefing 2026-11-02 · 4 off target",
            "Complaints with a first reply",
        ),
        "monthly": ("[Manyi] Monthly staff evaluation 2026-10", "Summary per hall"),
    }[name]
    assert msg["Subject"] == subject
    assert phrase in mail_parts.html_body(msg)
