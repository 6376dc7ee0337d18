"""``make user``: ``python -m pipelines.access`` creating, listing and removing users."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import settings
from pipelines.access import store, users
from pipelines.access.__main__ import main
from pipelines.settings import REPO_ROOT

PASSWORD = "correct horse battery"


@pytest.fixture
def users_file(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("MANYI_USERS_FILE", raising=False)
    return data_dir / "users.toml"


def test_a_user_from_a_script(users_file: Path) -> None:
    # As a script would: the password on stdin, never on the command line.
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.access", "user", "li", "--role", "hall_manager",
         "--halls", "YT001,YT002", "--display-name", "李雷", "--password-stdin"],
        input=PASSWORD + "\n", text=True, capture_output=True, cwd=REPO_ROOT, check=True,
    )  # fmt: skip
    assert "li (李雷): hall_manager halls YT001, YT002" in done.stdout
    assert settings.users_file() == users_file
    principal = users.authenticate(users_file, "li", PASSWORD)
    assert principal is not None and principal.halls == ("YT001", "YT002")


def test_the_password_is_asked_twice(
    users_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSWORD, PASSWORD + "?"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(SystemExit, match="differ"):
        main(["user", "qa", "--role", "quality"])
    assert not users_file.exists()
    answers = iter([PASSWORD, PASSWORD])
    assert main(["user", "qa", "--role", "quality"]) == 0
    assert users.authenticate(users_file, "qa", PASSWORD) is not None


def test_a_short_password_is_refused(users_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(SystemExit, match="at least 10"):
        main(["user", "qa", "--role", "quality", "--password-stdin"])


def test_list_change_and_remove(
    users_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    main(["user", "view", "--role", "viewer", "--password-stdin"])
    main(["user", "view", "--role", "hall_manager", "--halls", "H1", "--keep-password"])
    capsys.readouterr()
    assert main(["users"]) == 0
    listed = capsys.readouterr().out
    assert listed == "view\thall_manager\tH1\tview\n" and "$2b$" not in listed
    assert main(["remove-user", "view"]) == 0
    with pytest.raises(SystemExit, match="no user"):
        main(["remove-user", "view"])


def test_the_download_audit(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store.record_download(store.Download("li", "hall_manager", "staff", "t", "csv", 2, {}))
    assert main(["downloads", "--limit", "5"]) == 0
    assert '"username": "li"' in capsys.readouterr().out
