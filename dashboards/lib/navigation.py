"""Links from the overview to the page that details each KPI domain, keeping the period.

The entry point (``streamlit_app.py``) knows the pages; it registers, on every run, which
page details which domain and under which URL prefix that page keeps its filters. A page
cannot import the entry point, so the registry travels in the session.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lib.periods import Period

_STATE_KEY = "_domain_pages"


@dataclass(frozen=True)
class DomainPage:
    file: str  # as given to st.Page, relative to the entry point
    prefix: str  # the page's query-parameter prefix (``cp_``, ``hl_``, …)


def register(pages: dict[str, DomainPage]) -> None:
    st.session_state[_STATE_KEY] = pages


def period_params(prefix: str, period: Period) -> dict[str, str]:
    """The query parameters under which ``lib.kpi_view.period_picker`` keeps a period."""
    return {f"{prefix}grain": period.grain, f"{prefix}period": period.start.isoformat()}


def domain_link(domain: str, period: Period, label: str) -> None:
    """A link to the domain's page, opening on ``period``; nothing when no page has it."""
    target = st.session_state.get(_STATE_KEY, {}).get(domain)
    if target is None:
        return
    st.page_link(
        target.file,
        label=label,
        icon=":material/arrow_forward:",
        query_params=period_params(target.prefix, period),
    )
