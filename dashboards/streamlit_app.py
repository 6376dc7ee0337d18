"""满意 Manyi dashboard: the entry point (served by ``dashboards/server.py``).

Runs before every page: page config, the language switch, signing in, navigation by role,
the page title, and the one "no build yet" empty state for every page.

Nothing but the sign-in form is shown until someone is signed in. The navigation lists the
pages the role may open (``pipelines.access.policy``); every other page is registered
hidden, so that a direct URL to it shows a refusal instead of Streamlit's silent fall-back
to the home page, and its script never runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from lib import auth, export, i18n, navigation, serving

from pipelines.access.policy import Page


@dataclass(frozen=True)
class PageEntry:
    file: str  # relative to this script
    title_key: str  # i18n label
    icon: str
    url_path: Page  # stable across languages, so links keep working; the policy's page id
    # The KPI domain the page details and the prefix of its query parameters: the overview
    # links there, opening on its period (lib.navigation).
    domain: str | None = None
    prefix: str = ""


# The page registry: a new page is one file in app_pages/, one entry here and its place in
# the access policy. A role's home page (the first it may open) is served at /.
PAGES = (
    PageEntry("app_pages/overview.py", "page.overview", ":material/dashboard:", Page.OVERVIEW),
    PageEntry(
        "app_pages/complaints.py",
        "page.complaints",
        ":material/report:",
        Page.COMPLAINTS,
        domain="complaints",
        prefix="cp_",
    ),
    PageEntry(
        "app_pages/hotline.py",
        "page.hotline",
        ":material/support_agent:",
        Page.HOTLINE,
        domain="hotline",
        prefix="hl_",
    ),
    PageEntry(
        "app_pages/staff.py",
        "page.staff",
        ":material/reviews:",
        Page.STAFF,
        domain="ratings",
        prefix="st_",
    ),
    PageEntry(
        "app_pages/billing.py",
        "page.billing",
        ":material/receipt_long:",
        Page.BILLING,
        domain="billing",
        prefix="bl_",
    ),
    PageEntry(
        "app_pages/data_quality.py",
        "page.data_quality",
        ":material/fact_check:",
        Page.DATA_QUALITY,
    ),
)

st.set_page_config(
    page_title="满意 Manyi", page_icon=":material/sentiment_satisfied:", layout="wide"
)
i18n.choose_language()
principal = auth.current()
if principal is None:
    auth.sign_in_view([p.url_path for p in PAGES])
    st.stop()
# The overview links only to the domain pages this role may open.
navigation.register(
    {
        p.domain: navigation.DomainPage(p.file, p.prefix)
        for p in PAGES
        if p.domain is not None and principal.may_open(p.url_path)
    }
)
pages = [
    st.Page(
        p.file,
        title=i18n.t(p.title_key),
        icon=p.icon,
        url_path=p.url_path,
        visibility="visible" if principal.may_open(p.url_path) else "hidden",
    )
    for p in PAGES
]
home = pages[[p.url_path for p in PAGES].index(principal.home)]


def go_home() -> None:
    # With the URL's parameters (the language, filters of a shared link): a switch drops them.
    st.switch_page(home, query_params=st.query_params.to_dict())


# "/" sends each role to its home page under that page's own URL: a role's home could not
# be the default page itself, whose only URL is "/" (its path would be "not found").
page = st.navigation(
    [
        st.Page(go_home, title=home.title, url_path="home", default=True, visibility="hidden"),
        *pages,
    ],
    position="top",
)
if page.url_path == "":
    page.run()
entry = next(p for p, candidate in zip(PAGES, pages, strict=True) if candidate is page)
auth.navigate_if_asked()
auth.account_box(principal)
st.sidebar.caption(i18n.t("app.title"))
st.title(page.title)
if not principal.may_open(entry.url_path):
    st.error(i18n.t("auth.page_refused"), icon=":material/block:")
    st.stop()
export.set_page(entry.url_path)
try:
    page.run()
except serving.ServingUnavailable:
    st.info(i18n.t("app.no_build"), icon=":material/hourglass_empty:")
except auth.AccessDenied:
    st.error(i18n.t("auth.refused"), icon=":material/block:")
