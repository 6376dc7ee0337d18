"""Sessions, hand-over codes, sign-in rate limits and the download audit (SQLite)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipelines import settings
from pipelines.access import store

NOW = 1_800_000_000.0
WINDOW = store.FAILURE_WINDOW.total_seconds()


def test_a_session_lives_until_its_expiry(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MANYI_SESSION_HOURS", "8")
    session = store.start_session("qa", now=NOW)
    assert session.expires_at == NOW + 8 * 3600
    assert session.max_age(now=NOW + 3600) == 7 * 3600
    assert store.session_user(session.token, now=NOW + 8 * 3600 - 1) == "qa"
    assert store.session_user(session.token, now=NOW + 8 * 3600) is None
    assert store.session_user("forged", now=NOW) is None
    assert store.session_user("", now=NOW) is None


def test_only_digests_are_stored(data_dir: Path) -> None:
    session = store.start_session("qa")
    code = store.handoff(session)
    dump = "\n".join(sqlite3.connect(settings.paths().access_db).iterdump())
    assert session.token not in dump and code not in dump


def test_ending_a_session(data_dir: Path) -> None:
    session = store.start_session("qa")
    store.end_session(session.token)
    assert store.session_user(session.token) is None


def test_a_handoff_is_used_once_and_replaces_the_session(data_dir: Path) -> None:
    first = store.start_session("qa", now=NOW)
    code = store.handoff(first, now=NOW)
    taken = store.redeem_handoff(code, now=NOW + 5)
    assert taken is not None and taken.username == "qa"
    assert taken.expires_at == first.expires_at and taken.token != first.token
    assert store.session_user(first.token, now=NOW + 5) is None
    assert store.session_user(taken.token, now=NOW + 5) == "qa"
    assert store.redeem_handoff(code, now=NOW + 6) is None


def test_a_late_or_forged_handoff_opens_nothing(data_dir: Path) -> None:
    session = store.start_session("qa", now=NOW)
    code = store.handoff(session, now=NOW)
    late = NOW + store.HANDOFF_LIFETIME.total_seconds()
    assert store.redeem_handoff(code, now=late) is None
    assert store.redeem_handoff("forged", now=NOW) is None
    # A session that ended meanwhile is not revived by its code.
    ended = store.start_session("qa", now=NOW)
    code = store.handoff(ended, now=NOW)
    store.end_session(ended.token)
    assert store.redeem_handoff(code, now=NOW + 1) is None


def test_five_failures_lock_a_username_for_the_window(data_dir: Path) -> None:
    for n in range(store.MAX_FAILURES_PER_USER - 1):
        store.record_attempt("qa", "10.0.0.1", succeeded=False, now=NOW + n)
    assert not store.lockout("qa", "10.0.0.9", now=NOW + 10).locked
    store.record_attempt("qa", "10.0.0.2", succeeded=False, now=NOW + 100)
    locked = store.lockout("qa", "10.0.0.9", now=NOW + 200)
    # Until the first of the five failures (at NOW) is 15 minutes old.
    assert locked.locked and locked.retry_after == pytest.approx(WINDOW - 200)
    assert not store.lockout("qa", "10.0.0.9", now=NOW + WINDOW + 1).locked
    assert not store.lockout("gao", "10.0.0.9", now=NOW + 200).locked


def test_a_success_clears_the_username_count(data_dir: Path) -> None:
    for n in range(store.MAX_FAILURES_PER_USER - 1):
        store.record_attempt("qa", "local", succeeded=False, now=NOW + n)
    store.record_attempt("qa", "local", succeeded=True, now=NOW + 10)
    store.record_attempt("qa", "local", succeeded=False, now=NOW + 11)
    assert not store.lockout("qa", "local", now=NOW + 12).locked


def test_one_client_is_locked_after_many_failures(data_dir: Path) -> None:
    for n in range(store.MAX_FAILURES_PER_CLIENT):
        store.record_attempt(f"user{n}", "10.0.0.1", succeeded=False, now=NOW + n)
    assert store.lockout("someone", "10.0.0.1", now=NOW + 30).locked
    assert not store.lockout("someone", "10.0.0.2", now=NOW + 30).locked


def test_a_phone_number_typed_as_username_is_never_stored(data_dir: Path) -> None:
    store.record_attempt("13800138000", "local", succeeded=False)
    dump = "\n".join(sqlite3.connect(settings.paths().access_db).iterdump())
    assert "13800138000" not in dump and "138****8000" in dump


def test_downloads_are_recorded(data_dir: Path) -> None:
    store.record_download(
        store.Download(
            "li",
            "hall_manager",
            "staff",
            "staff_evaluation",
            "csv",
            2,
            {"st_hall": "H1", "st_period": "2026-10-01"},
        )
    )
    (entry,) = store.downloads()
    assert {k: v for k, v in entry.items() if k != "at"} == {
        "username": "li",
        "role": "hall_manager",
        "page": "staff",
        "table_name": "staff_evaluation",
        "file_format": "csv",
        "row_count": 2,
        "filters": '{"st_hall": "H1", "st_period": "2026-10-01"}',
    }
