"""Fixtures for the report tests: a serving copy with known rows, a test configuration and
a real SMTP server on loopback."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from pipelines import settings
from pipelines.reports import config
from pipelines.reports.delivery import MailDelivery
from tests.reports.serving_fixture import build_serving_copy

SMTP_VARS = ("MANYI_SMTP_HOST", "MANYI_SMTP_PORT", "MANYI_SMTP_SECURITY", "MANYI_SMTP_USER",
             "MANYI_SMTP_PASSWORD")  # fmt: skip

TEST_CONFIG = """
[mail]
sender = "满意数据平台 <reports@manyi.test>"
subject_prefix = "【满意】"

[roles]
executives = ["boss@manyi.test"]
quality = ["quality@manyi.test", "boss@manyi.test"]
complaint_owners = ["complaints@manyi.test"]
hotline_owners = ["hotline@manyi.test"]
hall_managers = ["halls@manyi.test"]
operators = ["ops@manyi.test"]

[reports.daily]
cron = "0 8 * * *"
roles = ["executives", "quality"]
top_rows = 10

[reports.weekly]
cron = "30 8 * * 1"
roles = ["executives"]
trend_weeks = 8

[reports.monthly]
cron = "0 9 1 * *"
roles = ["hall_managers"]

[alerts]
hours_before_breach = 24
max_hours_late = 72

[alerts.margin_by_unit]
ratio = 0.01
seconds = 5.0

[alerts.margin_by_kpi]
complaint_first_reply_48h = 0.0

[alerts.owners]
complaints = ["complaint_owners"]
hotline = ["hotline_owners"]
ratings = ["quality"]
billing = ["operators"]

[failures]
roles = ["operators"]
"""


@pytest.fixture
def data_dir(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared isolated data dir, and no mail server unless a test starts one."""
    for name in SMTP_VARS:
        monkeypatch.delenv(name, raising=False)
    return data_dir


@pytest.fixture(scope="session")
def serving_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per session; each test gets its own copy (tests may change it)."""
    return build_serving_copy(tmp_path_factory.mktemp("serving"))


@pytest.fixture
def serving_copy(data_dir: Path, serving_template: Path) -> Path:
    target = settings.Paths(data_dir).serving
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(serving_template, target)
    return target


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "reports.toml"
    path.write_text(TEST_CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def reports_config(config_file: Path) -> config.ReportsConfig:
    return config.load(config_file)


@pytest.fixture
def mail() -> MailDelivery:
    return MailDelivery(attempts=3, backoff_seconds=0)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """An aiosmtpd handler keeping every message; can refuse the next ones with a 451."""

    received: list[Received] = field(default_factory=list)
    refuse_next: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 try again later"
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    # Controller cannot listen on port 0, so a free port is found first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("MANYI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MANYI_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("MANYI_SMTP_SECURITY", "none")
    try:
        yield inbox
    finally:
        controller.stop()
