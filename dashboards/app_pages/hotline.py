"""10086 热线 · Hotline: the hotline KPIs, their trends and breakdowns by queue and brand,
a day × half-hour heatmap and the Erlang C staffing gap per half hour.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st
from lib import charts, figures, hotline, kpi_view, kpis, serving, url_state
from lib.i18n import segment_type_label, t
from lib.periods import Period

PREFIX = "hl_"
HEAT_MEASURES = ("offered_calls", "answer_15s_share", "agents_gap")
# A single day is one row of the heatmap: it shows the week up to that day instead.
MIN_HEAT_DAYS = 7


def segment_kpis(catalogue: pd.DataFrame, segment_type: str) -> pd.DataFrame:
    """The catalogue rows broken down by ``segment_type`` (all of them for 'all')."""
    if segment_type == kpis.ALL:
        return catalogue
    found = kpis.kpi_segments(hotline.DOMAIN)
    broken_down = set(found.loc[found["segment_type"] == segment_type, "kpi_id"])
    return catalogue[catalogue["kpi_id"].isin(broken_down)]


def tiles_section(catalogue: pd.DataFrame, period: Period, segment: tuple[str, str]) -> None:
    shown = segment_kpis(catalogue, segment[0])
    items = kpis.tiles(shown, period, segment_type=segment[0], segment_value=segment[1])
    if all(item.value is None for item in items):
        st.info(t("kpi.nothing_for_filter"))
    kpi_view.tiles(items)
    left_out = catalogue.loc[~catalogue["kpi_id"].isin(shown["kpi_id"]), "name"]
    if not left_out.empty:
        st.caption(
            t(
                "hl.not_segmented",
                segment=segment_type_label(segment[0]),
                names=t("list.sep").join(left_out),
            )
        )
    kpi_view.status_legend()


def trend_section(catalogue: pd.DataFrame, period: Period, segment: tuple[str, str]) -> None:
    st.subheader(t("hl.trends"))
    shown = segment_kpis(catalogue, segment[0])
    frame = kpi_view.trend(catalogue, period, shown["kpi_id"].tolist(), segment)
    if frame is None:
        return
    st.plotly_chart(
        figures.small_multiples(
            frame,
            units=dict(zip(shown["name"], shown["unit"], strict=True)),
            seconds=t("unit.seconds"),
        ),
        config=charts.CHART_CONFIG,
    )


def breakdown_section(catalogue: pd.DataFrame, period: Period) -> None:
    st.subheader(t("hl.breakdown"))
    # Only the agent-request KPIs are broken down by queue and brand.
    choices = segment_kpis(catalogue, hotline.SEGMENT_TYPES[0])
    kpi = kpi_view.kpi_picker(PREFIX, choices, "hotline_answer_15s", label=t("hl.kpi"))
    kpi_view.breakdown_section(kpi, catalogue, period, hotline.SEGMENT_TYPES)


def heat_days(period: Period) -> tuple[date, date]:
    first = min(period.start, period.last_day - timedelta(days=MIN_HEAT_DAYS - 1))
    return first, period.last_day


def with_slots(rows: pd.DataFrame) -> pd.DataFrame:
    """Intervals with their day and half-hour labels and the 15-second share."""
    weekdays = t("hl.weekdays").split(",")
    starts = pd.to_datetime(rows["interval_start"])
    offered = rows["offered_calls"].where(rows["offered_calls"] > 0)
    return rows.assign(
        day=starts.dt.date,
        day_label=[f"{s:%m-%d} {weekdays[s.weekday()]}" for s in starts],
        slot=starts.dt.strftime("%H:%M"),
        answer_15s_share=rows["answered_within_15s"] / offered,
    )


def heatmap_section(rows: pd.DataFrame, segment: tuple[str, str]) -> None:
    st.subheader(t("hl.heatmap"))
    note = "hl.heatmap_note_brand" if segment[0] == "brand" else "hl.heatmap_note"
    st.caption(t(note, days=MIN_HEAT_DAYS))
    measure = url_state.choice(
        st.segmented_control,
        t("hl.measure"),
        list(HEAT_MEASURES),
        key=f"{PREFIX}heat",
        default=HEAT_MEASURES[0],
        format_func=lambda m: t(f"hl.measure.{m}"),
        required=True,
    )
    st.plotly_chart(
        figures.heatmap(
            rows,
            value=measure,
            colour_title=t(f"hl.measure.{measure}"),
            diverging=measure == "agents_gap",
            percent=measure == "answer_15s_share",
        ),
        config=charts.CHART_CONFIG,
    )


def staffing_section(rows: pd.DataFrame) -> None:
    st.subheader(t("hl.staffing"))
    st.caption(t("hl.staffing_note"))
    days = sorted(rows["day"].unique(), reverse=True)
    day = date.fromisoformat(
        url_state.choice(
            st.selectbox,
            t("hl.day"),
            [d.isoformat() for d in days],
            key=f"{PREFIX}day",
            default=days[0].isoformat(),
        )
    )
    shown = rows[rows["day"] == day]
    short = shown[shown["agents_gap"] < 0]
    count, worst, calls = st.columns(3)
    count.metric(t("hl.short_intervals"), f"{len(short)} / {len(shown)}")
    # A shortfall reads as a positive number of agents missing.
    worst.metric(t("hl.worst_gap"), f"{-short['agents_gap'].min():.1f}" if len(short) else "0")
    calls.metric(t("hl.offered_day"), f"{shown['offered_calls'].sum():,}")
    st.plotly_chart(
        figures.staffing(
            shown,
            needed=t("col.agents_needed"),
            on_shift=t("col.agents_on_shift"),
            offered=t("hl.offered_right_axis"),
        ),
        config=charts.CHART_CONFIG,
    )
    kpi_view.table(
        shown[
            [
                "slot",
                "offered_calls",
                "answered_calls",
                "answered_within_15s",
                "abandoned_calls",
                "mean_handle_seconds",
                "agents_on_shift",
                "agents_needed",
                "agents_gap",
                "occupancy",
                "expected_service_level",
            ]
        ],
        f"hotline_staffing_{day:%Y%m%d}",
        mean_handle_seconds=st.column_config.NumberColumn(format="%.0f"),
        agents_on_shift=st.column_config.NumberColumn(format="%.1f"),
        agents_gap=st.column_config.NumberColumn(format="%.1f"),
        occupancy=st.column_config.NumberColumn(format="percent"),
        expected_service_level=st.column_config.NumberColumn(format="percent"),
    )


def intervals_sections(period: Period, segment: tuple[str, str]) -> None:
    queue = segment[1] if segment[0] == "queue" else hotline.WHOLE_HOTLINE
    first, last = heat_days(period)
    rows = hotline.intervals(first, last, queue)
    if rows.empty:
        st.subheader(t("hl.heatmap"))
        st.info(t("hl.no_intervals"))
        return
    rows = with_slots(rows)
    heatmap_section(rows, segment)
    staffing_section(rows)


def render() -> None:
    period = kpi_view.domain_period(PREFIX, hotline.DOMAIN, "hl.intro")
    if period is None:
        return
    segment = kpi_view.segment_picker(PREFIX, hotline.SEGMENT_TYPES, domain=hotline.DOMAIN)
    catalogue = kpis.catalog(hotline.DOMAIN)
    tiles_section(catalogue, period, segment)
    trend_section(catalogue, period, segment)
    breakdown_section(catalogue, period)
    if serving.table_exists("marts", "hotline_intervals"):
        intervals_sections(period, segment)


render()
