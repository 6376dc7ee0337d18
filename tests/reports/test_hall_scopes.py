"""A hall manager's monthly evaluation holds only their halls (``[hall_scopes]`` in
reports.toml), received from a real SMTP server on loopback and compared with the mart.

The fixture's October (serving_fixture.py): H1 九州路营业厅 S1 张三 and S2 (a formula as its
name), H2 滨江营业厅 S4 赵六, S3 王五 on the hotline without a hall.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.reports import compose, config
from pipelines.reports.delivery import MailDelivery
from tests.reports import mail_parts
from tests.reports.conftest import Inbox

SCOPES = """
[hall_scopes]
"h1-manager@manyi.test" = ["H1"]
"H2-Manager@manyi.test" = ["H2"]

[failures]"""


@pytest.fixture
def scoped_config(config_file: Path) -> config.ReportsConfig:
    text = config_file.read_text(encoding="utf-8")
    text = text.replace(
        'hall_managers = ["halls@manyi.test"]',
        'hall_managers = ["h1-manager@manyi.test", "李经理 <h2-manager@manyi.test>"]',
    ).replace("[failures]", SCOPES)
    text = text.replace('roles = ["hall_managers"]', 'roles = ["hall_managers", "quality"]')
    config_file.write_text(text, encoding="utf-8")
    return config.load(config_file)


def _everything_in(msg) -> str:
    """Every word a recipient can read: both bodies and every cell of the workbook."""
    _, book = mail_parts.workbook(msg)
    cells = [str(c) for sheet in book.sheetnames for r in mail_parts.sheet_rows(book, sheet)
             for c in r if c is not None]  # fmt: skip
    return "\n".join([mail_parts.text_body(msg), mail_parts.html_body(msg), *cells])


def test_each_hall_manager_gets_their_halls_only(
    serving_copy: Path, scoped_config: config.ReportsConfig, mail: MailDelivery, smtp_server: Inbox
) -> None:
    outcomes = compose.send("monthly", date(2026, 11, 1), scoped_config, mail)
    assert len(outcomes) == 3 and all(o.delivered for o in outcomes)
    by_recipient = {tuple(r.rcpt_tos): r.message for r in smtp_server.received}
    assert set(by_recipient) == {
        ("boss@manyi.test", "quality@manyi.test"),
        ("h1-manager@manyi.test",),
        ("h2-manager@manyi.test",),
    }
    with duckdb.connect(str(serving_copy), read_only=True) as con:
        staff = con.execute(
            "SELECT hall_id, staff_id, staff_name FROM marts.staff_evaluation_monthly "
            "WHERE month = '2026-10-01'"
        ).fetchall()
    for recipients, hall in (
        (("h1-manager@manyi.test",), "H1"),
        (("h2-manager@manyi.test",), "H2"),
    ):
        msg = by_recipient[recipients]
        _, book = mail_parts.workbook(msg)
        hall_sheet = book.sheetnames[1]
        assert len(book.sheetnames) == 2  # the summary and their one hall
        listed = [r[0] for r in mail_parts.sheet_rows(book, hall_sheet)[1:]]
        assert listed == sorted(s for h, s, _ in staff if h == hall)
        readable = _everything_in(msg)
        for other_hall, staff_id, name in staff:
            if other_hall != hall:
                assert name not in readable and staff_id not in readable, (recipients, name)
    everyone = by_recipient[("boss@manyi.test", "quality@manyi.test")]
    assert mail_parts.workbook(everyone)[1].sheetnames == [
        "汇总", "九州路营业厅", "滨江营业厅", "热线坐席"
    ]  # fmt: skip


def test_a_changed_scope_is_a_new_mail(
    serving_copy: Path, scoped_config: config.ReportsConfig, config_file: Path,
    mail: MailDelivery, smtp_server: Inbox,
) -> None:  # fmt: skip
    compose.send("monthly", date(2026, 11, 1), scoped_config, mail)
    again = compose.send("monthly", date(2026, 11, 1), scoped_config, mail)
    assert not any(o.delivered for o in again)
    wider = config_file.read_text(encoding="utf-8").replace(
        '"h1-manager@manyi.test" = ["H1"]', '"h1-manager@manyi.test" = ["H1", "H2"]'
    )
    config_file.write_text(wider, encoding="utf-8")
    outcomes = compose.send("monthly", date(2026, 11, 1), config.load(config_file), mail)
    assert [o.delivered for o in outcomes] == [False, True, False]
    assert smtp_server.received[-1].rcpt_tos == ["h1-manager@manyi.test"]


def test_a_hall_scoped_address_gets_no_city_wide_alert(config_file: Path) -> None:
    text = config_file.read_text(encoding="utf-8").replace("[failures]", SCOPES)
    text = text.replace(
        'hall_managers = ["halls@manyi.test"]',
        'hall_managers = ["h1-manager@manyi.test", "h2-manager@manyi.test"]',
    )
    config_file.write_text(text.replace('ratings = ["quality"]', 'ratings = ["hall_managers"]'),
                           encoding="utf-8")  # fmt: skip
    with pytest.raises(config.ConfigError, match=r"\[alerts.owners\] ratings: role 'hall_man"):
        config.load(config_file)
