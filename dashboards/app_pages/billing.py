"""计费与承诺 · Billing commitments: each service promise with its KPI figures and the list
of every case that broke it, then the tariff guide (资费导购).

The figures come from ``marts.kpi_values`` (``lib.kpis``), the lists from the compliance
marts, cut to the chosen period by the KPI's anchor time. Filters live in the URL under
``bl_``. Lists show masked phone numbers only, and only through ``st.dataframe``; they are
single customers' cases, shown only to roles with ``Capability.CASES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st
from lib import auth, billing, charts, figures, kpi_view, kpis, url_state
from lib.i18n import code_label, label_each, segment_label, segment_type_label, t
from lib.periods import Period, floor

from pipelines.access.policy import Capability

PREFIX = "bl_"
DOMAIN = "billing"
ALL = "all"
TOP_SAVINGS = 50
FILTER_WIDTH = 320  # px: a violation type's name, not the page's width
# List columns holding a KPI segment's codes: shown by their segment labels.
CODED_COLUMNS = {"item_code", "order_channel", "channel", "threshold_pct"}
MONTH_ONLY = ("billing_error_rate", billing.TARIFF_KPI)


@dataclass(frozen=True)
class Commitment:
    name: str  # i18n key bl.<name>, download and URL key part
    kpi_ids: tuple[str, ...]
    segment_type: str | None  # the KPIs' breakdown in kpi_values, None when there is none
    violations: billing.ComplianceList | None  # None: no compliance list is published yet


COMMITMENTS = (
    Commitment("billing_error", ("billing_error_rate",), "item_code", billing.BILLING_ERRORS),
    Commitment("double_refund", ("billing_double_refund",), "item_code", billing.DOUBLE_REFUNDS),
    Commitment(
        "vas", ("vas_second_confirmation", "vas_charge_reminder"), "order_channel",
        billing.VAS_ORDERS,
    ),
    Commitment("suspension", ("suspension_reminder",), None, billing.SUSPENSIONS),
    Commitment(
        "payment_sms", ("payment_confirmation_sms",), "channel", billing.PAYMENT_SMS,
    ),
    Commitment(
        "data_alert", ("data_alert_timeliness",), "threshold_pct", billing.DATA_ALERTS,
    ),
)  # fmt: skip

MONEY = st.column_config.NumberColumn(format="¥%.2f")
ONE_DECIMAL = st.column_config.NumberColumn(format="%.1f")
COLUMN_FORMATS = {
    "saving_share": st.column_config.NumberColumn(format="percent"),
    "days_to_refund": ONE_DECIMAL,
    "reminder_notice_hours": ONE_DECIMAL,
    "confirm_sms_seconds": ONE_DECIMAL,
    "alert_seconds": ONE_DECIMAL,
} | {
    c: MONEY
    for c in (
        "verified_error_amount", "required_refund_amount", "refund_amount", "refund_shortfall",
        "billed_plan_cost", "cheapest_plan_cost", "saving", "total_saving", "mean_saving",
        "amount",
    )
}  # fmt: skip


def _table(frame: pd.DataFrame, name: str) -> None:
    formats = {c: f for c, f in COLUMN_FORMATS.items() if c in frame.columns}
    kpi_view.table(frame, name, **formats)


def breakdown(commitment: Commitment, period: Period, catalogue: pd.DataFrame) -> None:
    """Each of the commitment's KPIs per segment value in ``period``: bars and a table,
    side by side when the commitment has two KPIs."""
    info = catalogue.set_index("kpi_id")
    kpi_ids = [k for k in commitment.kpi_ids if k in info.index]
    for column, kpi in zip(st.columns(len(kpi_ids)), kpi_ids, strict=True):
        parts = kpi_view.breakdown(info.loc[kpi], period, [commitment.segment_type])
        if parts.empty:
            continue
        with column:
            if len(kpi_ids) > 1:
                st.markdown(f"**{info.loc[kpi, 'name']}**")
            if parts["value"].notna().any():
                st.caption(segment_type_label(commitment.segment_type))
                st.plotly_chart(
                    figures.breakdown(
                        parts,
                        unit=info.loc[kpi, "unit"],
                        target=kpis.number(info.loc[kpi, "target"]),
                    ),
                    config=charts.CHART_CONFIG,
                    key=f"{PREFIX}{kpi}_chart",
                )
            kpi_view.breakdown_table(parts, f"billing_{kpi}_{period.grain}_{period.start:%Y%m%d}")


def violation_list(commitment: Commitment, period: Period) -> None:
    source = commitment.violations
    if source is None or not auth.can(Capability.CASES):
        # No list is published (the section's note says so), or none is this role's (the
        # page's top says so).
        return
    if set(commitment.kpi_ids) <= set(MONTH_ONLY):
        # A month-only KPI's cases are those of the month holding the period.
        period = Period("month", floor("month", period.start))
    st.markdown(f"**{t(f'bl.list.{commitment.name}')}**")
    if not billing.published(source.mart):
        st.info(t("bl.list_missing", mart=f"marts.{source.mart}"))
        return
    types = billing.violation_types(source, period)
    if not types:
        st.success(t("bl.no_violations", period=period.label()))
        return
    chosen = url_state.choice(
        st.selectbox,
        t("bl.violation_filter"),
        [ALL, *types],
        key=f"{PREFIX}{commitment.name}_violation",
        default=ALL,
        width=FILTER_WIDTH,
        format_func=lambda code: t("bl.all") if code == ALL else code_label("bl.violation", code),
    )
    rows = billing.violations(source, period, None if chosen == ALL else chosen)
    st.caption(t("bl.violation_count", n=len(rows), period=period.label()))
    rows["violation"] = label_each(rows["violation"], partial(code_label, "bl.violation"))
    for segment_type in CODED_COLUMNS.intersection(rows.columns):
        rows[segment_type] = label_each(rows[segment_type], partial(segment_label, segment_type))
    _table(rows, f"billing_{commitment.name}_violations")


def commitment_section(
    commitment: Commitment, period: Period, tiles: dict[str, kpis.Tile], catalogue: pd.DataFrame
) -> None:
    names = dict(zip(catalogue["kpi_id"], catalogue["name"], strict=True))
    st.subheader(" · ".join(names[k] for k in commitment.kpi_ids if k in names))
    st.caption(t(f"bl.about.{commitment.name}"))
    items = [tiles[k] for k in commitment.kpi_ids if k in tiles]
    if commitment.segment_type is None:
        kpi_view.tiles(items)
    else:
        # The figures beside their breakdown: a lone tile leaves most of a row empty.
        left, right = st.columns([1, 3])
        with left:
            kpi_view.tiles(items)
        with right:
            breakdown(commitment, period, catalogue)
    violation_list(commitment, period)


def tariff_section(period: Period) -> None:
    """The tariff guide of the month holding ``period`` (the guide is monthly)."""
    month = floor("month", period.start)
    st.subheader(t("bl.tariff", month=f"{month:%Y-%m}"))
    st.caption(t("bl.tariff_note"))
    share = kpis.tiles(kpis.catalog(kpi_ids=[billing.TARIFF_KPI]), Period("month", month))
    if (
        not billing.published(billing.TARIFF_MART)
        or month not in billing.tariff_months()
        or not share
    ):
        st.info(t("bl.no_tariff", month=f"{month:%Y-%m}"))
        return
    savings = billing.tariff_savings(month)
    left, right = st.columns([1, 3])
    with left:
        kpi_view.tiles(share)
    with right:
        cells = st.columns(3, border=True)
        # Who is on an unsuitable plan, of how many assessed: the KPI's own parts.
        cells[0].metric(
            t("bl.overpaying"), f"{int(share[0].numerator):,} / {int(share[0].denominator):,}"
        )
        cells[1].metric(t("bl.total_saving"), f"¥{savings['total_saving']:,.2f}")
        mean = savings["mean_saving"]
        cells[2].metric(
            t("bl.mean_saving"), kpis.NOT_ASSESSED_MD if pd.isna(mean) else f"¥{mean:,.2f}"
        )
    plans = billing.recommended_plans(month)
    if plans.empty:
        st.success(t("bl.no_overpaying"))
        return
    st.markdown(f"**{t('bl.recommended')}**")
    # Each recommended plan's bar is split by the plans its subscribers are billed on now.
    fig = charts.stacked_bars(
        plans,
        value="subscribers",
        category="cheapest_plan_code",
        stack="billed_plan_code",
        labels={
            "subscribers": t("col.subscribers"),
            "cheapest_plan_code": t("col.cheapest_plan_code"),
            "billed_plan_code": t("col.billed_plan_code"),
        },
    )
    st.plotly_chart(fig, config=charts.CHART_CONFIG, key=f"{PREFIX}tariff_chart")
    _table(plans, "billing_tariff_plans")
    if not auth.can(Capability.CASES):
        return
    st.markdown(f"**{t('bl.biggest_savings', n=TOP_SAVINGS)}**")
    _table(billing.biggest_savings(month, TOP_SAVINGS), "billing_tariff_savings")


def render() -> None:
    period = kpi_view.domain_period(PREFIX, DOMAIN, "bl.intro")
    if period is None:
        return
    catalogue = kpis.catalog(domain=DOMAIN)
    tiles = {item.kpi_id: item for item in kpis.tiles(catalogue, period)}
    if period.grain != "month":
        month_only = catalogue[catalogue["kpi_id"].isin(MONTH_ONLY)]["name"]
        st.caption(t("bl.month_only", kpis="、".join(month_only)))
    kpi_view.status_legend()
    if not auth.can(Capability.CASES):
        st.caption(t("auth.no_cases"))
    for commitment in COMMITMENTS:
        commitment_section(commitment, period, tiles, catalogue)
    tariff_section(period)


render()
