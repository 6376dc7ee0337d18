"""满意 Manyi dashboard: the entry point (`python -m streamlit run dashboards/streamlit_app.py`).

Runs before every page: page config, the language switch, navigation, the page title, and
the one "no build yet" empty state for every page.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from lib import i18n, navigation, serving


@dataclass(frozen=True)
class PageEntry:
    file: str  # relative to this script
    title_key: str  # i18n label
    icon: str
    url_path: str  # stable across languages, so links keep working
    # The KPI domain the page details and the prefix of its query parameters: the overview
    # links there, opening on its period (lib.navigation).
    domain: str | None = None
    prefix: str = ""


# The page registry: a new page is one file in app_pages/ and one entry here. The first
# page is the default one, served at /.
PAGES = (
    PageEntry("app_pages/overview.py", "page.overview", ":material/dashboard:", "overview"),
    PageEntry(
        "app_pages/complaints.py",
        "page.complaints",
        ":material/report:",
        "complaints",
        domain="complaints",
        prefix="cp_",
    ),
    PageEntry(
        "app_pages/hotline.py",
        "page.hotline",
        ":material/support_agent:",
        "hotline",
        domain="hotline",
        prefix="hl_",
    ),
    PageEntry(
        "app_pages/staff.py",
        "page.staff",
        ":material/reviews:",
        "staff",
        domain="ratings",
        prefix="st_",
    ),
    PageEntry(
        "app_pages/billing.py",
        "page.billing",
        ":material/receipt_long:",
        "billing",
        domain="billing",
        prefix="bl_",
    ),
    PageEntry(
        "app_pages/data_quality.py", "page.data_quality", ":material/fact_check:", "data-quality"
    ),
)

st.set_page_config(
    page_title="满意 Manyi", page_icon=":material/sentiment_satisfied:", layout="wide"
)
i18n.choose_language()
navigation.register(
    {p.domain: navigation.DomainPage(p.file, p.prefix) for p in PAGES if p.domain is not None}
)
page = st.navigation(
    [st.Page(p.file, title=i18n.t(p.title_key), icon=p.icon, url_path=p.url_path) for p in PAGES],
    position="top",
)
st.sidebar.caption(i18n.t("app.title"))
st.title(page.title)
try:
    page.run()
except serving.ServingUnavailable:
    st.info(i18n.t("app.no_build"), icon=":material/hourglass_empty:")
