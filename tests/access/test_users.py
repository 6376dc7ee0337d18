"""The users file and password checks (bcrypt), as ``make user`` writes them."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pipelines.access import users
from pipelines.access.policy import Role

PASSWORD = "correct horse battery"


@pytest.fixture
def users_file(tmp_path: Path) -> Path:
    return tmp_path / "users.toml"


def test_a_user_is_written_readable_by_the_owner_only(users_file: Path) -> None:
    users.set_user(
        users_file,
        "li",
        "hall_manager",
        halls=("H1", "H2", "H1"),
        display_name='李 "经理"',
        password=PASSWORD,
    )
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    (found,) = users.load(users_file).values()
    assert (found.username, found.display_name, found.role, found.halls) == (
        "li",
        '李 "经理"',
        Role.HALL_MANAGER,
        ("H1", "H2"),
    )
    assert found.password_hash.startswith("$2b$12$")
    assert PASSWORD not in users_file.read_text(encoding="utf-8")


def test_authenticate(users_file: Path) -> None:
    users.set_user(users_file, "qa", "quality", password=PASSWORD)
    principal = users.authenticate(users_file, "qa", PASSWORD)
    assert principal is not None and principal.role is Role.QUALITY
    assert users.authenticate(users_file, "qa", PASSWORD + "!") is None
    assert users.authenticate(users_file, "nobody", PASSWORD) is None
    # Longer than bcrypt reads: never a match (bcrypt 5 would raise on it).
    assert users.authenticate(users_file, "qa", PASSWORD + "x" * 80) is None


def test_updating_a_role_keeps_the_password(users_file: Path) -> None:
    users.set_user(users_file, "li", "viewer", password=PASSWORD)
    users.set_user(users_file, "li", "hall_manager", halls=("H3",))
    principal = users.authenticate(users_file, "li", PASSWORD)
    assert principal is not None and principal.halls == ("H3",)
    assert users.principal(users_file, "li") == principal


@pytest.mark.parametrize(
    ("username", "role", "halls", "secret", "message"),
    [
        ("Li", "viewer", (), PASSWORD, "lower-case"),
        ("13812345678", "viewer", (), PASSWORD, "phone number"),
        ("li", "admin", (), PASSWORD, "unknown role"),
        ("li", "hall_manager", (), PASSWORD, "no halls"),
        ("li", "viewer", ("H1",), PASSWORD, "only hall managers"),
        ("li", "viewer", (), "short", "at least 10"),
        ("li", "viewer", (), "长" * 25, "at most 72 bytes"),
        ("li", "viewer", (), None, "needs a password"),
    ],
)
def test_invalid_users_are_refused(
    users_file: Path, username: str, role: str, halls: tuple, secret: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        users.set_user(users_file, username, role, halls=halls, password=secret)
    assert not users_file.exists()


def test_a_display_name_must_not_hold_a_phone_number(users_file: Path) -> None:
    with pytest.raises(ValueError, match="phone number"):
        users.set_user(
            users_file, "li", "viewer", display_name="李 138 0013 8000", password=PASSWORD
        )


def test_remove_user(users_file: Path) -> None:
    users.set_user(users_file, "li", "viewer", password=PASSWORD)
    assert users.remove_user(users_file, "li")
    assert not users.remove_user(users_file, "li")
    assert users.principal(users_file, "li") is None


def test_the_first_user_is_created_once(users_file: Path) -> None:
    secret = users.create_first_user(users_file)
    assert secret is not None and len(secret) >= users.MIN_PASSWORD_LENGTH
    principal = users.authenticate(users_file, users.FIRST_USER, secret)
    assert principal is not None and principal.role is Role.QUALITY
    assert users.create_first_user(users_file) is None


def test_a_broken_file_names_itself(users_file: Path) -> None:
    users_file.write_text('[users.li]\nrole = "viewer"\n', encoding="utf-8")
    with pytest.raises(users.UsersFileError, match="password_hash"):
        users.load(users_file)
