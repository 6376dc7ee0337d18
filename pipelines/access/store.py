"""Dashboard sessions, sign-in attempts and the download audit, in one small SQLite file.

The file is ``$MANYI_DATA_DIR/access.sqlite3`` (``settings.paths().access_db``): it must
outlive a restart (a restart neither signs anyone out nor resets a lock-out) and it cannot be
the serving copy, which each build replaces and the dashboard opens read-only.

Only SHA-256 digests of session tokens and hand-over codes are stored: a copy of the file
opens no session. A session ends at its expiry (``MANYI_SESSION_HOURS`` after sign-in) or at
sign-out, whichever comes first.

Sign-in is rate-limited: after ``MAX_FAILURES_PER_USER`` wrong passwords for one username, or
``MAX_FAILURES_PER_CLIENT`` from one client address, within ``FAILURE_WINDOW``, further
attempts are refused without checking the password until the oldest of those failures leaves
the window. A successful sign-in clears the username's count.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from pipelines import settings
from pipelines.ingest.pii import mask_free_text

MAX_FAILURES_PER_USER = 5
# Higher than per user: every browser behind one proxy or NAT shares an address.
MAX_FAILURES_PER_CLIENT = 20
FAILURE_WINDOW = timedelta(minutes=15)
# A sign-in hands its session to the cookie route within this time, or never.
HANDOFF_LIFETIME = timedelta(seconds=60)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS sessions (token_sha256 TEXT PRIMARY KEY, "
    "username TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS handoffs (code_sha256 TEXT PRIMARY KEY, "
    "token_sha256 TEXT NOT NULL, expires_at REAL NOT NULL)",
    # A username is counted by its HMAC and kept readable only masked: people type their
    # phone number into a login form, and no plain number may be stored anywhere.
    "CREATE TABLE IF NOT EXISTS sign_in_attempts (at REAL NOT NULL, user_key TEXT NOT NULL, "
    "username_masked TEXT NOT NULL, client TEXT NOT NULL, succeeded INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sign_in_attempts_by_user ON sign_in_attempts (user_key, at)",
    "CREATE INDEX IF NOT EXISTS sign_in_attempts_by_client ON sign_in_attempts (client, at)",
    # Who downloaded which table, when, with which filters and how many rows.
    "CREATE TABLE IF NOT EXISTS downloads (at TEXT NOT NULL, username TEXT NOT NULL, "
    "role TEXT NOT NULL, page TEXT NOT NULL, table_name TEXT NOT NULL, "
    "file_format TEXT NOT NULL, row_count INTEGER NOT NULL, filters TEXT NOT NULL)",
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _user_key(username: str) -> str:
    return hmac.new(settings.pii_key(), username.encode("utf-8"), hashlib.sha256).hexdigest()


@contextmanager
def _connect() -> Iterator[sqlite3.Connection]:
    path = settings.paths().access_db
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10)
    try:
        con.execute("PRAGMA journal_mode = WAL")
        for statement in _SCHEMA:
            con.execute(statement)
        with con:
            yield con
    finally:
        con.close()


@dataclass(frozen=True)
class Session:
    token: str
    username: str
    expires_at: float  # seconds since the epoch

    def max_age(self, now: float | None = None) -> int:
        """Seconds the cookie may live: until the session expires."""
        return max(0, int(self.expires_at - (time.time() if now is None else now)))


def start_session(username: str, now: float | None = None) -> Session:
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    expires_at = now + settings.session_lifetime().total_seconds()
    with _connect() as con:
        con.execute("DELETE FROM sessions WHERE expires_at <= ?", (now,))
        con.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?)", (_digest(token), username, now, expires_at)
        )
    return Session(token, username, expires_at)


def session_user(token: str, now: float | None = None) -> str | None:
    """The username of a live session; None for an unknown, ended or expired token."""
    if not token:
        return None
    now = time.time() if now is None else now
    with _connect() as con:
        found = con.execute(
            "SELECT username FROM sessions WHERE token_sha256 = ? AND expires_at > ?",
            (_digest(token), now),
        ).fetchone()
    return found[0] if found else None


def end_session(token: str) -> None:
    with _connect() as con:
        con.execute("DELETE FROM sessions WHERE token_sha256 = ?", (_digest(token),))


def handoff(session: Session, now: float | None = None) -> str:
    """A one-time code with which the cookie route takes over ``session`` (a page script
    cannot set an HttpOnly cookie; an HTTP response can)."""
    now = time.time() if now is None else now
    code = secrets.token_urlsafe(32)
    with _connect() as con:
        con.execute("DELETE FROM handoffs WHERE expires_at <= ?", (now,))
        con.execute(
            "INSERT INTO handoffs VALUES (?, ?, ?)",
            (_digest(code), _digest(session.token), now + HANDOFF_LIFETIME.total_seconds()),
        )
    return code


def redeem_handoff(code: str, now: float | None = None) -> Session | None:
    """Swap a hand-over code for a new session token with the same user and expiry; the
    code and the session it named are used up. None for an unknown or expired code."""
    if not code:
        return None
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    with _connect() as con:
        found = con.execute(
            "DELETE FROM handoffs WHERE code_sha256 = ? RETURNING token_sha256, expires_at",
            (_digest(code),),
        ).fetchone()
        if found is None or found[1] <= now:
            return None
        session = con.execute(
            "DELETE FROM sessions WHERE token_sha256 = ? AND expires_at > ? "
            "RETURNING username, created_at, expires_at",
            (found[0], now),
        ).fetchone()
        if session is None:
            return None
        username, created_at, expires_at = session
        con.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?)",
            (_digest(token), username, created_at, expires_at),
        )
    return Session(token, username, expires_at)


@dataclass(frozen=True)
class Lockout:
    locked: bool
    retry_after: float = 0.0  # seconds until the next attempt is taken


def lockout(username: str, client: str, now: float | None = None) -> Lockout:
    """Whether a sign-in for ``username`` from ``client`` is refused for now."""
    now = time.time() if now is None else now
    since = now - FAILURE_WINDOW.total_seconds()
    user_key = _user_key(username)
    with _connect() as con:
        by_user = con.execute(
            "SELECT at FROM sign_in_attempts WHERE user_key = ? AND NOT succeeded AND at > ? "
            "AND at > (SELECT coalesce(max(at), 0) FROM sign_in_attempts "
            "          WHERE user_key = ? AND succeeded) ORDER BY at DESC",
            (user_key, since, user_key),
        ).fetchall()
        by_client = con.execute(
            "SELECT at FROM sign_in_attempts WHERE client = ? AND NOT succeeded AND at > ? "
            "ORDER BY at DESC",
            (client, since),
        ).fetchall()
    # Locked until the failure that filled the limit leaves the window.
    limits = ((by_user, MAX_FAILURES_PER_USER), (by_client, MAX_FAILURES_PER_CLIENT))
    waits = [
        failures[limit - 1][0] + FAILURE_WINDOW.total_seconds() - now
        for failures, limit in limits
        if len(failures) >= limit
    ]
    return Lockout(True, max(waits)) if waits else Lockout(False)


def record_attempt(username: str, client: str, succeeded: bool, now: float | None = None) -> None:
    now = time.time() if now is None else now
    with _connect() as con:
        con.execute(
            "INSERT INTO sign_in_attempts VALUES (?, ?, ?, ?, ?)",
            (now, _user_key(username), mask_free_text(username), client, succeeded),
        )


@dataclass(frozen=True)
class Download:
    username: str
    role: str
    page: str
    table_name: str
    file_format: str
    row_count: int
    filters: Mapping[str, str]


def record_download(download: Download) -> None:
    with _connect() as con:
        con.execute(
            "INSERT INTO downloads VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                settings.local_now().isoformat(sep=" ", timespec="seconds"),
                download.username,
                download.role,
                download.page,
                download.table_name,
                download.file_format,
                download.row_count,
                json.dumps(dict(download.filters), ensure_ascii=False, sort_keys=True),
            ),
        )


def downloads(limit: int = 100) -> list[dict[str, object]]:
    """The newest downloads first."""
    with _connect() as con:
        cursor = con.execute("SELECT * FROM downloads ORDER BY rowid DESC LIMIT ?", (limit,))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
