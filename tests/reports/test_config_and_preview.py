"""The configuration file's checks, the catalogue fallback, and the preview CLI."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from pipelines import settings
from pipelines.reports import compose, config, content
from pipelines.reports.__main__ import main
from tests.reports import mail_parts
from tests.reports.serving_fixture import build_serving_copy


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('roles = ["executives"]', 'roles = ["board"]'), "not defined under"),
        (("top_rows = 10", "top_row = 10"), "unknown key"),
        (('"ops@manyi.test"', '"ops.manyi.test"'), "not an e-mail address"),
        (('subject_prefix = "【满意】"', 'language = "fr"'), "language"),
        (('roles = ["hall_managers"]', "roles = []"), "nobody would get it"),
        (
            ("[failures]", '[hall_scopes]\n"nobody@manyi.test" = ["H1"]\n\n[failures]'),
            "is in no role",
        ),
        (
            ("[failures]", '[hall_scopes]\n"halls@manyi.test" = []\n\n[failures]'),
            "a list of hall ids",
        ),
        # A hall-scoped address may get the monthly evaluation only.
        (
            ("[failures]", '[hall_scopes]\n"boss@manyi.test" = ["H1"]\n\n[failures]'),
            r"\[reports.daily\]: role 'executives' has hall-scoped",
        ),
    ],
)
def test_a_bad_configuration_is_refused(
    config_file: Path, change: tuple[str, str], message: str
) -> None:
    config_file.write_text(
        config_file.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8"
    )
    with pytest.raises(config.ConfigError, match=message):
        config.load(config_file)


def test_recipients_are_unique_and_sorted(reports_config: config.ReportsConfig) -> None:
    assert reports_config.recipients(("quality", "executives")) == (
        "boss@manyi.test",
        "quality@manyi.test",
    )
    assert reports_config.sender_domain == "manyi.test"


def test_without_a_published_catalogue_the_seed_names_the_kpis(
    data_dir: Path, reports_config: config.ReportsConfig
) -> None:
    build_serving_copy(data_dir, with_catalog=False)

    report = compose.rendered("daily", date(2026, 11, 3), reports_config)

    assert report.subject == "【满意】每日简报 2026-11-02 · 未达标 4 项"
    assert "投诉48小时首次回复及时率" in report.document.sections[0].blocks[1].rows[0][0].text


def test_no_serving_copy_is_an_error(data_dir: Path, reports_config: config.ReportsConfig) -> None:
    with pytest.raises(content.ServingUnavailable):
        compose.rendered("daily", date(2026, 11, 3), reports_config)


def test_an_unscheduled_report_covers_the_latest_data(serving_copy: Path) -> None:
    # as_of is 2026-11-02 23:50: the report about that day is dated the day after.
    assert content.default_report_date(date(2026, 11, 24)) == date(2026, 11, 3)
    assert content.default_report_date(date(2026, 11, 2)) == date(2026, 11, 2)


def test_stale_data_is_flagged(serving_copy: Path, reports_config: config.ReportsConfig) -> None:
    report = compose.rendered("daily", date(2026, 11, 5), reports_config)
    assert report.document.warning and "数据只到 2026-11-02 23:50" in report.document.warning


def test_preview_writes_the_eml_and_a_viewable_html(
    serving_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The CLI reads the repo's reports.toml; the report is the weekly one, with charts.
    assert main(["preview", "weekly", "--date", "2026-11-02"]) == 0

    eml, page = (Path(line) for line in capsys.readouterr().out.split())  # one audience
    assert eml.parent == settings.paths().outbox / "preview"
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert str(msg["Subject"]).startswith("【满意】周报 2026-10-26 至 2026-11-01")
    assert len(mail_parts.images(msg)) == 3
    html = page.read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 3 and "cid:" not in html
    # A preview is not a send: nothing in the outbox proper, nothing recorded.
    assert not list(settings.paths().outbox.glob("*.eml"))
    assert not (settings.paths().outbox / ".sent.sqlite3").exists()


def test_send_from_the_cli_uses_the_outbox_without_smtp(
    serving_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The repo's reports.toml: quality gets every hall, each hall manager their own.
    assert main(["send", "monthly", "--date", "2026-11-01"]) == 0
    sent = capsys.readouterr().out.splitlines()
    assert len(sent) == 3 and all(line.startswith("sent: <") for line in sent)
    assert main(["send", "monthly", "--date", "2026-11-01"]) == 0
    again = capsys.readouterr().out.splitlines()
    assert len(again) == 3 and all(line.startswith("already sent: <") for line in again)
    sheets = {}
    for eml in settings.paths().outbox.glob("*.eml"):
        msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
        (to,) = [a.addr_spec for a in msg["To"].addresses]
        sheets[to] = mail_parts.workbook(msg)[1].sheetnames
    # The fixture's halls are H1, H2: none of the example hall managers' halls.
    assert sheets == {
        "service-quality@example.com": ["汇总", "九州路营业厅", "滨江营业厅", "热线坐席"],
        "yt001-manager@example.com": ["汇总"],
        "yt002-manager@example.com": ["汇总"],
    }
