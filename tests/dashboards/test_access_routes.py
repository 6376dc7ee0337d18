"""The session routes (lib/session_routes.py) over real HTTP with Starlette's test client:
the cookie they set and delete, and no redirect away from the dashboard."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from lib import auth, session_routes
from starlette.applications import Starlette

from pipelines.access import store

with warnings.catch_warnings():
    # Starlette would rather have httpx2, which is not installed; httpx works the same here.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient


@pytest.fixture
def client(data_dir: Path) -> TestClient:
    return TestClient(Starlette(routes=session_routes.routes()), follow_redirects=False)


def test_a_handoff_code_becomes_an_http_only_cookie(client: TestClient) -> None:
    signed_in = store.start_session("qa")
    code = store.handoff(signed_in)
    response = client.get("/_manyi/session", params={"code": code, "next": "/staff?lang=en"})
    assert response.status_code == 303 and response.headers["location"] == "/staff?lang=en"
    cookie = response.headers["set-cookie"]
    token = cookie.split(";", 1)[0].removeprefix(f"{auth.COOKIE}=")
    assert store.session_user(token) == "qa"
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=strict"} <= attributes
    max_age = next(int(a.split("=")[1]) for a in attributes if a.startswith("max-age="))
    assert abs(max_age - signed_in.max_age()) <= 2
    # The code is spent: a second use sets nothing.
    again = client.get("/_manyi/session", params={"code": code, "next": "/"})
    assert again.status_code == 303 and "set-cookie" not in again.headers


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "staff", ""]
)
def test_next_never_leaves_the_dashboard(client: TestClient, target: str) -> None:
    response = client.get("/_manyi/session", params={"code": "x", "next": target})
    assert response.headers["location"] == "/"


def test_secure_cookies_when_configured(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MANYI_COOKIE_SECURE", "true")
    code = store.handoff(store.start_session("qa"))
    response = client.get("/_manyi/session", params={"code": code, "next": "/"})
    assert "secure" in response.headers["set-cookie"].lower().split("; ")


def test_sign_out_ends_the_session_and_deletes_the_cookie(client: TestClient) -> None:
    session = store.start_session("qa")
    client.cookies.set(auth.COOKIE, session.token)
    response = client.get("/_manyi/sign-out", params={"next": "/?lang=en"})
    assert response.status_code == 303 and response.headers["location"] == "/?lang=en"
    assert response.headers["set-cookie"].startswith(f'{auth.COOKIE}=""')
    assert "max-age=0" in response.headers["set-cookie"].lower()
    assert store.session_user(session.token) is None
