"""Threshold alerts: each breach goes to its domain's owners once; nothing when on target."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines import settings
from pipelines.reports import alerts, config
from pipelines.reports.config import ReportsConfig
from pipelines.reports.delivery import MailDelivery
from tests.reports import mail_parts
from tests.reports.conftest import Inbox
from tests.reports.serving_fixture import AS_OF, DAY


def _change_serving_copy(*statements: str) -> None:
    """Edit the test serving copy in place (the pipeline would publish a new file)."""
    with duckdb.connect(str(settings.paths().serving)) as con:
        for statement in statements:
            con.execute(statement)


def _by_recipient(inbox: Inbox) -> dict[str, str]:
    return {r.rcpt_tos[0]: mail_parts.text_body(r.message) for r in inbox.received}


def test_each_breach_is_alerted_once(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    first = alerts.run(reports_config, mail)

    assert len(first) == 2
    subjects = sorted(str(r.message["Subject"]) for r in smtp_server.received)
    assert subjects == ["【满意】指标告警：客服热线 1 项", "【满意】指标告警：投诉 4 项"]
    mails = _by_recipient(smtp_server)
    assert set(mails) == {"complaints@manyi.test", "hotline@manyi.test"}
    complaints = mails["complaints@manyi.test"]
    assert "投诉48小时首次回复及时率 | 2026-11-02 | 90.00% | ≥ 100.00% | 0.00% | 10" in complaints
    # Within 24 h of the deadline or past it: C1, C2, C3; C4 has 36 h left.
    for cid, status in (("C1", "即将超时"), ("C2", "即将超时"), ("C3", "已超时")):
        assert f"{cid} |" in complaints and status in complaints
    assert "C4 |" not in complaints
    hotline = mails["hotline@manyi.test"]
    assert "人工呼损率 | 2026-11-02 | 8.00% | ≤ 5.00% | 1.00% | 1,000" in hotline
    # Off target but not by more than the margin: 94.5 % vs 95 % ± 1 pp; ASA 25 s = 20 s + 5 s.
    assert "人工接通率" not in hotline and "平均应答时长" not in hotline
    assert "15秒人工接通率" not in hotline

    assert alerts.run(reports_config, mail) == []
    assert len(smtp_server.received) == 2


def test_only_a_new_breach_is_alerted_on_the_next_build(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    alerts.run(reports_config, mail)
    # C5 has 8 h left; C6 has been late for 100 h, longer than max_hours_late (72).
    _change_serving_copy(
        "INSERT INTO marts.complaint_reply_watchlist (complaint_id, received_at, category, "
        "msisdn_masked, reply_deadline_at, hours_left, is_breached) VALUES "
        f"('C5', '{AS_OF - timedelta(hours=40)}', 'billing', '150****0005', "
        f"'{AS_OF + timedelta(hours=8)}', 8.0, false), "
        f"('C6', '{AS_OF - timedelta(hours=148)}', 'billing', '150****0006', "
        f"'{AS_OF - timedelta(hours=100)}', -100.0, true)"
    )

    (outcome,) = alerts.run(reports_config, mail)

    assert outcome.delivered
    latest = smtp_server.received[-1]
    assert latest.rcpt_tos == ["complaints@manyi.test"]
    assert latest.message["Subject"] == "【满意】指标告警：投诉 1 项"
    body = mail_parts.text_body(latest.message)
    assert "C5 |" in body and "C6 |" not in body
    assert "C1 |" not in body and "投诉48小时" not in body


def test_no_alert_when_every_kpi_meets_its_target(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    _change_serving_copy(
        "UPDATE marts.kpi_values SET value = target, meets_target = true "
        f"WHERE target IS NOT NULL AND period_start = DATE '{DAY}'",
        "DELETE FROM marts.complaint_reply_watchlist",
    )

    assert alerts.run(reports_config, mail) == []
    assert smtp_server.received == []


def test_an_alert_for_a_domain_without_owners_is_an_error(
    serving_copy: Path, config_file: Path, mail: MailDelivery, smtp_server: Inbox
) -> None:
    config_file.write_text(
        config_file.read_text(encoding="utf-8").replace('hotline = ["hotline_owners"]\n', ""),
        encoding="utf-8",
    )

    with pytest.raises(config.ConfigError, match="hotline"):
        alerts.run(config.load(config_file), mail)
    # Checked before sending: the complaints domain did not get half a run.
    assert smtp_server.received == []
