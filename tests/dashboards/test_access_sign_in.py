"""Signing in and out of the dashboard (AppTest): only the form until signed in, wrong
passwords rejected and rate-limited (persistently), sessions that expire, sign-out, and the
single sign-on path with Streamlit's own user (``AppTest.user``)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from kpi_pages import APP, TIMEOUT, sign_in
from streamlit.testing.v1 import AppTest
from users_fixture import password

from pipelines import settings
from pipelines.access import store, users

WRONG = "not-the-password"
FAILED = "Wrong username or password."


def open_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    return at.run()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def signed_in(at: AppTest) -> bool:
    return "Sign out" in [b.label for b in at.button]


def test_an_anonymous_visitor_sees_only_the_sign_in(serving_copy: Path) -> None:
    at = open_app()
    assert [t.value for t in at.title] == ["Sign in to Manyi"]
    assert [t.key for t in at.text_input] == ["auth_username", "auth_password"]
    # Nothing of any page: no figures, no tables, no downloads, no way out but signing in.
    assert not at.metric and not at.dataframe and not at.get("download_button")
    assert not signed_in(at)


def test_the_right_password_signs_in(serving_copy: Path) -> None:
    at = sign_in(open_app(), "qa")
    assert signed_in(at)
    assert at.title[0].value == "Overview"
    assert "质检组 (quality)" in [t.value for t in at.sidebar.text]


@pytest.mark.parametrize("username", ["qa", "nobody"])
def test_a_wrong_password_or_unknown_user_is_rejected(serving_copy: Path, username: str) -> None:
    at = sign_in(open_app(), username, WRONG)
    assert errors(at) == [FAILED]  # the same words: they do not tell which was wrong
    assert not signed_in(at) and not at.metric


def test_failed_sign_ins_are_rate_limited_across_restarts(serving_copy: Path) -> None:
    at = open_app()
    for _ in range(store.MAX_FAILURES_PER_USER):
        assert errors(sign_in(at, "qa", WRONG)) == [FAILED]
    # Locked: even the right password is not checked now, in this session or a new one
    # (the count is on disk, so a restart does not reset it).
    locked = errors(sign_in(at, "qa"))
    assert len(locked) == 1 and locked[0].startswith("Too many failed sign-ins: try again in 15")
    assert not signed_in(sign_in(open_app(), "qa"))
    # Another user is not locked out by qa's failures.
    assert signed_in(sign_in(open_app(), "gao"))


def test_a_lockout_ends_when_the_failures_leave_the_window(serving_copy: Path) -> None:
    window = store.FAILURE_WINDOW.total_seconds()
    for _ in range(store.MAX_FAILURES_PER_USER):
        store.record_attempt("qa", "local", succeeded=False, now=time.time() - window - 1)
    assert signed_in(sign_in(open_app(), "qa"))


def test_one_client_trying_many_usernames_is_rate_limited(serving_copy: Path) -> None:
    for n in range(store.MAX_FAILURES_PER_CLIENT):
        store.record_attempt(f"guess{n}", "local", succeeded=False)
    at = sign_in(open_app(), "gao")
    assert errors(at)[0].startswith("Too many failed sign-ins")
    assert not signed_in(at)


def test_an_expired_session_is_asked_to_sign_in_again(
    serving_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MANYI_SESSION_HOURS", str(1 / 3600))  # one second
    at = sign_in(open_app(), "qa")
    assert signed_in(at)
    time.sleep(1.2)
    at.run()
    assert [t.value for t in at.title] == ["Sign in to Manyi"]
    assert not at.metric and not signed_in(at)


def test_signing_out_ends_the_session(serving_copy: Path) -> None:
    at = sign_in(open_app(), "qa")
    token = at.session_state["_manyi_token"]
    assert store.session_user(token) == "qa"
    at.button(key="auth_sign_out").click().run()
    assert [t.value for t in at.title] == ["Sign in to Manyi"]
    assert store.session_user(token) is None
    # The browser is sent to the route that deletes the cookie (dashboards/server.py).
    assert "/_manyi/sign-out" in at.get("html")[0].proto.body


def test_a_removed_user_is_signed_out_at_once(serving_copy: Path, tmp_path: Path) -> None:
    users_file = tmp_path / "users.toml"
    users_file.write_bytes(settings.users_file().read_bytes())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MANYI_USERS_FILE", str(users_file))
        at = sign_in(open_app(), "gao")
        assert signed_in(at)
        users.remove_user(users_file, "gao")
        at.run()
    assert not signed_in(at) and not at.metric


def test_a_successful_sign_in_hands_its_session_to_the_cookie_route(serving_copy: Path) -> None:
    at = sign_in(open_app(), "qa")
    (script,) = [h.proto.body for h in at.get("html")]
    assert script.startswith('<script>window.location.replace("/_manyi/session?code=')
    code = script.split("code=", 1)[1].split("&", 1)[0]
    # The code is single-use and names this sign-in's user.
    session = store.redeem_handoff(code)
    assert session is not None and session.username == "qa"
    assert store.redeem_handoff(code) is None
    assert password("qa") not in script


SSO = {"client_id": "manyi", "client_secret": "s", "redirect_uri": "http://x/oauth2callback",
       "server_metadata_url": "http://x/.well-known/openid-configuration",
       "cookie_secret": "c"}  # fmt: skip


@pytest.fixture
def role_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "roles.toml"
    path.write_text(
        'role_claim = "manyi_role"\nhalls_claim = "manyi_halls"\n\n'
        '[users."boss@example.com"]\nrole = "executive"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MANYI_ROLE_MAP", str(path))
    return path


def sso_app(user: dict[str, object]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.secrets["auth"] = SSO
    at.user = user
    return at.run()


def test_single_sign_on_shows_only_its_button_until_signed_in(
    serving_copy: Path, role_map: Path
) -> None:
    at = sso_app({"is_logged_in": False})
    assert [b.label for b in at.button] == ["Sign in with your organisation's account"]
    assert not at.text_input and not at.metric


def signed_in_sso(**claims: object) -> dict[str, object]:
    """Streamlit's user after an OpenID Connect sign-in a minute ago."""
    return {"is_logged_in": True, "iat": int(time.time()) - 60, **claims}


def test_single_sign_on_roles_come_from_the_claim_or_the_map(
    serving_copy: Path, role_map: Path
) -> None:
    viewer = sso_app(signed_in_sso(email="a@example.com", name="A", manyi_role="viewer"))
    assert "A (viewer)" in [t.value for t in viewer.sidebar.text]
    viewer.switch_page("app_pages/data_quality.py").run()
    assert errors(viewer) == ["Your role may not open this page."]
    boss = sso_app(signed_in_sso(email="Boss@example.com", email_verified=True))
    assert "boss@example.com (executive)" in [t.value for t in boss.sidebar.text]
    nobody = sso_app(signed_in_sso(email="c@example.com"))
    assert nobody.warning[0].value.startswith("You are signed in with your")
    assert not nobody.metric and not nobody.dataframe


def test_single_sign_on_expires_like_a_session(serving_copy: Path, role_map: Path) -> None:
    # Streamlit's identity cookie lasts 30 days; the ID token was issued nine hours ago.
    stale = signed_in_sso(email="boss@example.com")
    stale["iat"] = int(time.time()) - 9 * 3600
    at = sso_app(stale)
    assert [b.label for b in at.button] == ["Sign in with your organisation's account"]
    assert not at.metric and not at.dataframe
