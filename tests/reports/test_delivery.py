"""Sending: once per report, period and recipient set; retried; the outbox without SMTP."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from pipelines import settings
from pipelines.reports import compose, config
from pipelines.reports.config import ReportsConfig
from pipelines.reports.delivery import DeliveryFailed, MailDelivery, SentLog, sent_log_path
from tests.reports import mail_parts
from tests.reports.conftest import Inbox, free_port

DAY = date(2026, 11, 3)


def test_a_report_is_sent_once_per_period(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    (first,) = compose.send("daily", DAY, reports_config, mail)
    (again,) = compose.send("daily", DAY, reports_config, mail)

    assert first.delivered and not again.delivered
    assert again.message_id == first.message_id
    (received,) = smtp_server.received
    assert received.message["Message-ID"] == first.message_id
    # Another period is another mail.
    compose.send("daily", date(2026, 11, 4), reports_config, mail)
    assert len(smtp_server.received) == 2


def test_a_new_recipient_set_gets_the_report(
    serving_copy: Path, config_file: Path, mail: MailDelivery, smtp_server: Inbox
) -> None:
    compose.send("monthly", DAY, config.load(config_file), mail)
    config_file.write_text(
        config_file.read_text(encoding="utf-8").replace(
            'roles = ["hall_managers"]', 'roles = ["hall_managers", "executives"]'
        ),
        encoding="utf-8",
    )
    compose.send("monthly", DAY, config.load(config_file), mail)

    assert [r.rcpt_tos for r in smtp_server.received] == [
        ["halls@manyi.test"],
        ["boss@manyi.test", "halls@manyi.test"],
    ]


def test_a_refused_send_is_retried(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    smtp_server.refuse_next = 2

    (outcome,) = compose.send("daily", DAY, reports_config, mail)

    assert outcome.delivered
    assert len(smtp_server.received) == 1


def test_a_send_that_keeps_failing_raises_and_is_not_recorded(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    smtp_server.refuse_next = 3

    with pytest.raises(DeliveryFailed, match="after 3 attempts"):
        compose.send("daily", DAY, reports_config, mail)
    assert not SentLog(sent_log_path()).sent_keys(["anything"])
    # The next run sends it: the failure did not count as sent.
    assert compose.send("daily", DAY, reports_config, mail)[0].delivered
    assert len(smtp_server.received) == 1


def test_an_unreachable_server_fails_loudly(
    serving_copy: Path,
    reports_config: ReportsConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MANYI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MANYI_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("MANYI_SMTP_SECURITY", "none")

    with pytest.raises(DeliveryFailed, match="Connection refused"):
        compose.send("daily", DAY, reports_config, MailDelivery(attempts=2, backoff_seconds=0))


def test_without_smtp_the_mail_goes_to_the_outbox(
    serving_copy: Path, reports_config: ReportsConfig, mail: MailDelivery, data_dir: Path
) -> None:
    (outcome,) = compose.send("daily", DAY, reports_config, mail)

    (eml,) = (data_dir / "outbox").glob("*.eml")
    assert outcome.destination == str(eml)
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Subject"] == "【满意】每日简报 2026-11-02 · 未达标 4 项"
    assert msg["Message-ID"] == outcome.message_id
    assert "投诉48小时首次回复及时率" in mail_parts.html_body(msg)
    assert mail_parts.workbook(msg)[0] == "每日简报_2026-11-02.xlsx"
    assert not compose.send("daily", DAY, reports_config, mail)[0].delivered
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 1


def test_smtp_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MANYI_SMTP_HOST", raising=False)
    assert settings.smtp() is None
    monkeypatch.setenv("MANYI_SMTP_HOST", "mail.example.com")
    monkeypatch.delenv("MANYI_SMTP_PORT", raising=False)
    monkeypatch.setenv("MANYI_SMTP_SECURITY", "ssl")
    monkeypatch.setenv("MANYI_SMTP_PASSWORD", "not-in-logs")
    server = settings.smtp()
    assert (server.host, server.port, server.security) == ("mail.example.com", 465, "ssl")
    assert "not-in-logs" not in repr(server)
    monkeypatch.setenv("MANYI_SMTP_SECURITY", "tls1.0")
    with pytest.raises(ValueError, match="MANYI_SMTP_SECURITY"):
        settings.smtp()
