"""Signing in, signing out, and the rights every query of the dashboard is cut to.

Two ways in, chosen by the dashboard's ``secrets.toml``:

- **Embedded (default).** A form checks the users file (``pipelines.access.users``), with
  sign-in attempts rate-limited (``pipelines.access.store``). The session lives server-side
  with an expiry; the browser holds its token in an HttpOnly cookie. A page script cannot
  set such a cookie, so a successful sign-in sends the browser once through the dashboard's
  own route (``lib/session_routes.py``), which swaps a one-time code for the cookie.
- **Single sign-on.** With an ``[auth]`` section, Streamlit's ``st.login`` (OpenID Connect)
  signs users in; roles come from a claim or the role map (``pipelines.access.oidc``).

``current`` checks the session anew on every run (an expired session, a sign-out in another
tab, a changed role or a removed user take effect at once). Query modules call ``require``
and ``hall_scope``: the policy is enforced where the data is read, whatever a page shows.
"""

from __future__ import annotations

import json
import logging
import math
import time
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib import i18n
from lib.i18n import t
from pipelines import settings
from pipelines.access import oidc, store, users
from pipelines.access.policy import Capability, Principal

log = logging.getLogger("manyi.auth")

COOKIE = "manyi_session"
# The dashboard's own routes live under this prefix (below server.baseUrlPath).
ROUTE_PREFIX = "_manyi"
SESSION_ROUTE = "session"
SIGN_OUT_ROUTE = "sign-out"
# The URL path of the sign-in page; any other path shows the same form while signed out.
SIGN_IN_PATH = "sign-in"

_TOKEN = "_manyi_token"
_PRINCIPAL = "_manyi_principal"
_NEXT = "_manyi_next"  # where the browser asked to go before it was shown the sign-in
_NAVIGATE = "_manyi_navigate"  # a URL to send the browser to on the next run


class NotSignedIn(RuntimeError):
    """A query ran in a session nobody is signed in to."""


class AccessDenied(RuntimeError):
    """A query asked for something the signed-in user's role may not read."""


def base_path() -> str:
    """``server.baseUrlPath`` as a path prefix: "" or "/manyi"."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def route(name: str) -> str:
    return f"{base_path()}/{ROUTE_PREFIX}/{name}"


def sso_configured() -> bool:
    """Whether the dashboard's ``secrets.toml`` has an ``[auth]`` section (st.login)."""
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        return False  # no secrets.toml at all


# --- who is signed in -----------------------------------------------------------------------


def current() -> Principal | None:
    """The signed-in user of this run, or None; what every query of the run is cut to."""
    principal = _sso_principal() if sso_configured() else _session_principal()
    st.session_state[_PRINCIPAL] = principal
    return principal


def _connection_value(value: object, default: str) -> str:
    # What the browser sent when it connected. A headless test session (AppTest) has a
    # stand-in connection whose values are not strings: it sent nothing.
    return value if isinstance(value, str) and value else default


def _session_principal() -> Principal | None:
    # This browser tab's own sign-in first, else the cookie the browser sent when it
    # connected (the cookie of a reload, a new tab, a bookmark).
    token = st.session_state.get(_TOKEN) or _connection_value(st.context.cookies.get(COOKIE), "")
    username = store.session_user(token)
    principal = users.principal(settings.users_file(), username) if username else None
    if principal is None:
        st.session_state.pop(_TOKEN, None)
    return principal


def _sso_signed_in() -> bool:
    """Signed in with the identity provider within the session lifetime. Streamlit keeps its
    identity cookie for 30 days; the ID token's issue time (``iat``, required by OpenID
    Connect) bounds a session here as ``MANYI_SESSION_HOURS`` bounds an embedded one."""
    if not st.user.get("is_logged_in"):
        return False
    issued = st.user.get("iat")
    lifetime = settings.session_lifetime().total_seconds()
    return isinstance(issued, int | float) and time.time() - issued < lifetime


def _sso_principal() -> Principal | None:
    if not _sso_signed_in():
        return None
    return oidc.principal_from_claims(st.user.to_dict(), oidc.load_map(settings.role_map_file()))


def scope() -> Principal | None:
    """The principal the current run's queries are cut to.

    None outside a Streamlit session: a batch tool on this machine (the benchmark) reading
    the serving copy file directly, for which there is no user and no web request. Inside a
    session without a signed-in user, nothing may be read.
    """
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    principal = st.session_state.get(_PRINCIPAL)
    if principal is None:
        raise NotSignedIn("sign in first")
    return principal


def require(*capabilities: Capability) -> None:
    """Refuse the query unless the signed-in user's role has every one of ``capabilities``."""
    principal = scope()
    if principal is not None and not all(principal.can(c) for c in capabilities):
        raise AccessDenied(f"{principal.role} may not read {', '.join(capabilities)}")


def hall_scope() -> list[str] | None:
    """The halls hall-level rows are cut to; None: every hall."""
    principal = scope()
    halls = None if principal is None else principal.hall_scope
    return None if halls is None else list(halls)


def can(capability: Capability) -> bool:
    """For pages: whether to show a section at all (its query would refuse anyway)."""
    principal = scope()
    return principal is None or principal.can(capability)


# --- signing in and out -----------------------------------------------------------------------


def sign_in_view(url_paths: list[str]) -> None:
    """What a signed-out browser sees, whichever page it asked for: the sign-in form only.

    Every page's URL path shows the form, so that the page asked for opens once signed in.
    """
    pages = [st.Page(_sign_in_page, title=t("auth.title"), url_path=SIGN_IN_PATH, default=True)]
    pages += [
        st.Page(_sign_in_page, title=t("auth.title"), url_path=path, visibility="hidden")
        for path in url_paths
    ]
    page = st.navigation(pages, position="hidden")
    st.session_state[_NEXT] = page.url_path
    page.run()


def _sign_in_page() -> None:
    navigate_if_asked()
    st.title(t("auth.title"))
    if sso_configured():
        _sso_form()
    else:
        _password_form()


def _sso_form() -> None:
    if _sso_signed_in():
        # Known to the identity provider, but no Manyi role: say so, and offer a way out.
        st.warning(t("auth.no_role"))
        st.button(t("auth.sign_out"), on_click=st.logout)
        return
    st.caption(t("auth.sso_intro"))
    st.button(t("auth.sso_sign_in"), type="primary", on_click=st.login)


def _password_form() -> None:
    if not users.load(settings.users_file()):
        st.info(t("auth.no_users"))
    with st.form("sign_in"):
        username = st.text_input(t("auth.username"), key="auth_username", autocomplete="username")
        password = st.text_input(
            t("auth.password"),
            type="password",
            key="auth_password",
            autocomplete="current-password",
        )
        submitted = st.form_submit_button(t("auth.sign_in"), type="primary")
    if not submitted:
        return
    problem = _sign_in(username.strip().lower(), password)
    if problem:
        st.error(problem)
        return
    st.rerun()


def _client() -> str:
    # The peer address (none on localhost): behind a reverse proxy, the proxy's.
    return _connection_value(st.context.ip_address, "local")


def _sign_in(username: str, password: str) -> str | None:
    """Sign in; the reason it failed, or None."""
    client = _client()
    lockout = store.lockout(username, client)
    if lockout.locked:
        log.warning("sign-in refused while locked out (client %s)", client)
        return t("auth.locked", minutes=math.ceil(lockout.retry_after / 60))
    principal = users.authenticate(settings.users_file(), username, password)
    store.record_attempt(username, client, principal is not None)
    if principal is None:
        # No username in the log: people type their phone number into this field.
        log.warning("sign-in failed (client %s)", client)
        return t("auth.failed")
    session = store.start_session(principal.username)
    st.session_state[_TOKEN] = session.token
    log.info("%s signed in (client %s)", principal.username, client)
    target = f"{base_path()}/{st.session_state.get(_NEXT) or ''}"
    if st.query_params:
        target += "?" + urlencode(st.query_params.to_dict())
    handoff = urlencode({"code": store.handoff(session), "next": target})
    st.session_state[_NAVIGATE] = f"{route(SESSION_ROUTE)}?{handoff}"
    return None


def _sign_out() -> None:
    token = st.session_state.pop(_TOKEN, None)
    if token:
        store.end_session(token)
    # The route ends the cookie's session too, deletes the cookie and comes back to the
    # sign-in form in the same language.
    home = f"{base_path()}/?{urlencode({i18n.STATE_KEY: i18n.language()})}"
    st.session_state[_NAVIGATE] = f"{route(SIGN_OUT_ROUTE)}?{urlencode({'next': home})}"


def navigate_if_asked() -> None:
    """Send the browser where a sign-in or sign-out asked it to go (once)."""
    url = st.session_state.pop(_NAVIGATE, None)
    if url:
        # The URL is ours (a route, a one-time code, a path): json.dumps makes it a JS
        # string, and no "<" can close the script element early.
        literal = json.dumps(url).replace("<", "\\u003c")
        script = f"<script>window.location.replace({literal})</script>"
        st.html(script, unsafe_allow_javascript=True)


def account_box(principal: Principal) -> None:
    """In the sidebar: who is signed in, as which role, and the way out."""
    halls = f" · {', '.join(principal.halls)}" if principal.halls else ""
    # Plain text: a display name from an identity provider is not ours to trust as Markdown.
    st.sidebar.text(
        t("auth.signed_in_as", name=principal.display_name, role=t(f"role.{principal.role}"))
        + halls
    )
    if sso_configured():
        st.sidebar.button(t("auth.sign_out"), on_click=st.logout, key="auth_sign_out")
    else:
        st.sidebar.button(t("auth.sign_out"), on_click=_sign_out, key="auth_sign_out")
