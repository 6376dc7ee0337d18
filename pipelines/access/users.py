"""The dashboard's users file: usernames, bcrypt password hashes, roles and halls.

Written by ``make user`` (``python -m pipelines.access user``), read on every sign-in and on
every page run of a signed-in session, so a changed role or a removed user takes effect at
once. The file lives in the data dir (``settings.users_file()``), is created with mode 0600
and is never committed (``.gitignore``)::

    [users.li_lei]
    display_name = "李雷"
    role = "hall_manager"
    halls = ["YT001"]
    password_hash = "$2b$12$…"
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import bcrypt

from pipelines.access.policy import PolicyError, Principal, Role, role
from pipelines.ingest.pii import mask_free_text

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD_LENGTH = 10
# bcrypt reads at most 72 bytes; bcrypt 5 refuses longer input instead of cutting it.
MAX_PASSWORD_BYTES = 72


class UsersFileError(ValueError):
    """The users file cannot be read as this module writes it."""


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: Role
    halls: tuple[str, ...]
    password_hash: str

    def principal(self) -> Principal:
        return Principal(self.username, self.display_name, self.role, self.halls)


def load(path: Path) -> dict[str, User]:
    """Every user in the file; an empty dict when there is no file yet."""
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsersFileError(f"{path}: {exc}") from exc
    users = {}
    for username, entry in raw.get("users", {}).items():
        try:
            user = User(
                username=username,
                display_name=str(entry.get("display_name") or username),
                role=role(entry["role"]),
                halls=tuple(entry.get("halls", ())),
                password_hash=entry["password_hash"],
            )
            user.principal()  # the policy's own checks (a hall manager has halls, …)
        except (KeyError, PolicyError) as exc:
            raise UsersFileError(f"{path}: user {username!r}: {exc}") from exc
        users[username] = user
    return users


def _toml_string(text: str) -> str:
    # A JSON string is a TOML basic string (same escapes); TOML also forbids a raw DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def save(path: Path, users: dict[str, User]) -> None:
    """Write ``users`` atomically, readable by the owner only."""
    lines = ["# Manyi dashboard users: written by `make user`. Never commit this file.", ""]
    for user in sorted(users.values(), key=lambda u: u.username):
        lines += [
            f"[users.{_toml_string(user.username)}]",
            f"display_name = {_toml_string(user.display_name)}",
            f"role = {_toml_string(user.role.value)}",
            f"halls = [{', '.join(_toml_string(h) for h in user.halls)}]",
            f"password_hash = {_toml_string(user.password_hash)}",
            "",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.tmp")
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines))
    os.replace(staged, path)


def hash_password(password: str, rounds: int = 12) -> str:
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be set, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return f"a password may have at most {MAX_PASSWORD_BYTES} bytes (bcrypt reads no more)"
    return None


def set_user(
    path: Path,
    username: str,
    role_name: str,
    *,
    halls: tuple[str, ...] = (),
    display_name: str | None = None,
    password: str | None = None,
) -> User:
    """Create or update a user; ``password`` None keeps an existing user's password."""
    if not USERNAME.fullmatch(username):
        raise ValueError(
            f"username {username!r}: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit, at most 64"
        )
    # Names are shown, logged and audited: a phone number must not become one.
    for name in (username, display_name or ""):
        if mask_free_text(name) != name:
            raise ValueError("a username or display name must not hold a phone number")
    users = load(path)
    existing = users.get(username)
    if password is None and existing is None:
        raise ValueError(f"a new user ({username!r}) needs a password")
    user = User(
        username=username,
        display_name=display_name or (existing.display_name if existing else username),
        role=role(role_name),
        halls=tuple(dict.fromkeys(halls)),
        password_hash=hash_password(password) if password is not None else existing.password_hash,
    )
    user.principal()
    users[username] = user
    save(path, users)
    return user


def remove_user(path: Path, username: str) -> bool:
    users = load(path)
    if users.pop(username, None) is None:
        return False
    save(path, users)
    return True


FIRST_USER = "admin"


def create_first_user(path: Path) -> str | None:
    """On a machine without users, an ``admin`` who may see everything (role quality), with a
    random password that is returned to be shown once; None when there are users already."""
    if load(path):
        return None
    password = secrets.token_urlsafe(12)
    set_user(path, FIRST_USER, Role.QUALITY.value, display_name="管理员 Admin", password=password)
    return password


@cache
def _dummy_hash() -> bytes:
    # Compared against for unknown usernames, so that a wrong name costs as much time as a
    # wrong password and response times do not tell which usernames exist.
    return bcrypt.hashpw(b"no such user", bcrypt.gensalt(12))


def authenticate(path: Path, username: str, password: str) -> Principal | None:
    """The user's principal if ``password`` is theirs, else None."""
    user = load(path).get(username)
    secret = password.encode("utf-8")
    if len(secret) > MAX_PASSWORD_BYTES:
        secret = secret[:MAX_PASSWORD_BYTES]  # never theirs: no stored password is longer
        user = None
    stored = user.password_hash.encode("ascii") if user else _dummy_hash()
    matches = bcrypt.checkpw(secret, stored)
    return user.principal() if user is not None and matches else None


def principal(path: Path, username: str) -> Principal | None:
    """The current principal of ``username`` (None once removed): roles change at once."""
    user = load(path).get(username)
    return user.principal() if user else None
