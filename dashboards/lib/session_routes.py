"""The dashboard's own HTTP routes (served by ``dashboards/server.py``): only an HTTP
response can set or delete an HttpOnly cookie, a page script cannot.

- ``<base>/_manyi/session?code=…&next=…`` swaps a sign-in's one-time code for the session
  cookie and sends the browser on to the page it asked for;
- ``<base>/_manyi/sign-out?next=…`` ends the cookie's session, deletes the cookie and goes
  on to ``next`` (the sign-in form).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from lib import auth
from pipelines import settings
from pipelines.access import store


def _home() -> str:
    return f"{auth.base_path()}/"


def _cookie_attributes() -> dict[str, object]:
    # Strict: no other site can make the browser send it. The path keeps it to this app.
    return {
        "path": _home(),
        "httponly": True,
        "samesite": "strict",
        "secure": settings.cookie_secure(),
    }


def local_target(next_url: str) -> str:
    """``next_url`` when it is a path of this dashboard, else its home: a link with a
    ``next`` elsewhere must not make this server redirect there."""
    parts = urlsplit(next_url)
    if parts.scheme or parts.netloc or "\\" in next_url or not next_url.startswith(_home()):
        return _home()
    return next_url


async def take_session(request: Request) -> Response:
    session = await run_in_threadpool(store.redeem_handoff, request.query_params.get("code", ""))
    response = RedirectResponse(local_target(request.query_params.get("next", "")), 303)
    if session is not None:
        response.set_cookie(
            auth.COOKIE, session.token, max_age=session.max_age(), **_cookie_attributes()
        )
    return response


async def sign_out(request: Request) -> Response:
    token = request.cookies.get(auth.COOKIE)
    if token:
        await run_in_threadpool(store.end_session, token)
    response = RedirectResponse(local_target(request.query_params.get("next", "")), 303)
    response.delete_cookie(auth.COOKIE, **_cookie_attributes())
    return response


def routes() -> list[Route]:
    return [
        Route(auth.route(auth.SESSION_ROUTE), take_session),
        Route(auth.route(auth.SIGN_OUT_ROUTE), sign_out),
    ]
