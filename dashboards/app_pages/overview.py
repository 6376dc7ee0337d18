"""总览 · Overview: every KPI of the catalogue for one period, grouped by domain.

A tile per KPI: value, target, status colour (rule in ``lib.kpis``), change on the previous
period and a trend. Each domain links to its page, opening on the same period.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from lib import kpi_view, kpis, navigation
from lib.i18n import domain_label, t
from lib.periods import Period

PREFIX = "ov_"


def domain_section(domain: str, items: list[kpis.Tile], period: Period) -> None:
    head, link = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader(domain_label(domain))
    with link:
        navigation.domain_link(domain, period, t("ov.details", domain=domain_label(domain)))
    kpi_view.tiles(items)


def other_grain_note(items: list[kpis.Tile], period: Period) -> None:
    """Name the KPIs that are never measured at this grain, so «--» is not misread."""
    grains = kpis.kpi_grains()
    measured = set(grains.loc[grains["grain"] == period.grain, "kpi_id"])
    elsewhere = set(grains["kpi_id"]) - measured
    names = [item.name for item in items if item.kpi_id in elsewhere]
    if names:
        st.caption(
            t("kpi.other_grain", grain=t(f"grain.{period.grain}"), names=t("list.sep").join(names))
        )


def figures_table(items: list[kpis.Tile], catalogue: pd.DataFrame, period: Period) -> None:
    domains = dict(zip(catalogue["kpi_id"], catalogue["domain"], strict=True))
    frame = pd.DataFrame(
        {
            "domain": [domain_label(domains[i.kpi_id]) for i in items],
            "kpi": [i.name for i in items],
            "period": period.label(),
            "value": [kpis.format_value(i.value, i.unit) for i in items],
            "target": [kpis.format_target(i.target, i.direction, i.unit) for i in items],
            "status": [t(f"status.{i.status}") for i in items],
            "change": [kpis.format_change(i.change, i.unit) for i in items],
            "numerator": [i.numerator for i in items],
            "denominator": [i.denominator for i in items],
        }
    )
    with st.expander(t("ov.table")):
        kpi_view.table(frame, f"kpis_{period.grain}_{period.start:%Y%m%d}")


def render() -> None:
    st.caption(t("ov.intro"))
    if not kpis.published():
        st.info(t("kpi.no_kpis"))
        return
    period = kpi_view.period_picker(PREFIX)
    if period is None:
        return
    catalogue = kpis.catalog()
    items = kpis.tiles(catalogue, period)
    by_id = {item.kpi_id: item for item in items}
    # Domains in catalogue order: the catalogue's display_order ranks them as well.
    for domain in catalogue["domain"].drop_duplicates():
        ids = catalogue.loc[catalogue["domain"] == domain, "kpi_id"]
        domain_section(domain, [by_id[i] for i in ids], period)
    other_grain_note(items, period)
    kpi_view.status_legend()
    figures_table(items, catalogue, period)


render()
