"""员工评价 · Staff ratings: the monthly evaluation table, drilled from hall to staff member
to that person's months and individual replies.

Satisfaction rates are drawn with their Wilson 95 % interval, so a rate from a handful of
replies shows as the wide, uncertain figure it is. Customer reply text is untrusted: it is
shown only through ``st.dataframe``, which renders text as plain text.

By role: a hall manager chooses among their own halls only; named staff need
``Capability.STAFF_NAMES`` (a viewer sees the halls' totals), single replies
``Capability.REPLIES``.
"""

from __future__ import annotations

import math
from datetime import date
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from lib import auth, charts, kpi_view, kpis, staff, url_state
from lib.i18n import code_label, label_each, segment_label, t
from lib.periods import Period, default_start, floor

from pipelines.access.policy import Capability

ALL = "all"  # the filter code for "every hall / team"
MONTH_KEY = "st_period"  # the key lib.navigation links with (a month's first day)
NOBODY = ""  # the staff picker's code for "no one chosen yet"
RATINGS_DOMAIN = "ratings"
HALL_SEGMENT = "hall"  # kpi_values.segment_type of the per-hall rating KPIs
PERCENT = st.column_config.NumberColumn(format="percent")
RATE_COLUMNS = (
    "satisfaction_rate",
    "satisfaction_wilson_lower",
    "satisfaction_wilson_upper",
    "previous_month_satisfaction_rate",
    "hotline_fcr_rate",
)
# Interval charts: samples large enough to rank solid, smaller ones open and grey.
LARGE_SAMPLE_COLOUR = "#1f77b4"
SMALL_SAMPLE_COLOUR = "#8c8c8c"


def _month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def _table(frame: pd.DataFrame, name: str, **column_config: object) -> None:
    """A plain-text table with downloads; «--» where a figure is not assessed (no rank
    below the sample minimum, no FCR for staff who are not hotline agents)."""
    rates = {c: PERCENT for c in RATE_COLUMNS if c in frame.columns}
    kpi_view.table(frame, name, **rates, **column_config)


def _axis_start(frame: pd.DataFrame) -> float:
    """Where the rate axis starts: a round tenth below the lowest interval, so that rates
    in the nineties are not squeezed into the right edge of an axis from 0 %."""
    lowest = frame["satisfaction_wilson_lower"].min()
    return 0.0 if pd.isna(lowest) else max(0.0, math.floor(lowest * 10 - 0.2) / 10)


def _interval_figure(frame: pd.DataFrame, *, category: str, horizontal: bool) -> go.Figure:
    """Satisfaction rate per ``category`` as a dot with its Wilson interval as error bar;
    samples too small to rank are drawn open and grey."""
    rate_axis, category_axis = ("x", "y") if horizontal else ("y", "x")
    large = frame["valid_replies"] >= staff.RANK_MIN_VALID_REPLIES
    fig = go.Figure()
    for is_large, legend, colour, symbol in (
        (True, "st.legend_large", LARGE_SAMPLE_COLOUR, "circle"),
        (False, "st.legend_small", SMALL_SAMPLE_COLOUR, "circle-open"),
    ):
        part = frame[large == is_large]
        if part.empty:
            continue
        error = {
            "type": "data",
            "array": part["satisfaction_wilson_upper"] - part["satisfaction_rate"],
            "arrayminus": part["satisfaction_rate"] - part["satisfaction_wilson_lower"],
            "color": colour,
        }
        fig.add_trace(
            go.Scatter(
                {rate_axis: part["satisfaction_rate"], category_axis: part[category]},
                mode="markers",
                name=t(legend, n=staff.RANK_MIN_VALID_REPLIES),
                marker={"color": colour, "symbol": symbol, "size": 9},
                **{f"error_{rate_axis}": error},
                customdata=part[
                    ["valid_replies", "satisfaction_wilson_lower", "satisfaction_wilson_upper"]
                ],
                hovertemplate=(
                    f"%{{{category_axis}}}<br>{t('col.satisfaction_rate')} "
                    f"%{{{rate_axis}:.1%}}<br>{t('col.valid_replies')} %{{customdata[0]}}<br>"
                    f"{t('st.interval')} %{{customdata[1]:.1%}} – %{{customdata[2]:.1%}}"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        {
            # Even with one kind of sample on the chart, say which kind it is.
            "showlegend": True,
            f"{rate_axis}axis": {
                "tickformat": ".0%",
                "range": [_axis_start(frame), 1.02],
                "title": t("col.satisfaction_rate"),
            },
            # Categories in the frame's order (top to bottom when horizontal).
            f"{category_axis}axis": {
                "title": None,
                "type": "category",
                "categoryorder": "array",
                "categoryarray": list(frame[category])[:: -1 if horizontal else 1],
            },
        }
    )
    return charts.styled(fig, height=120 + 26 * len(frame) if horizontal else 320)


def _month_from_link() -> None:
    """The overview links here with its period (``st_period``, ``st_grain``); the table is
    monthly, so a linked week or day opens the month that holds it."""
    requested = st.query_params.get(MONTH_KEY)
    if MONTH_KEY in st.session_state or requested is None:
        return
    try:
        st.query_params[MONTH_KEY] = floor("month", date.fromisoformat(requested)).isoformat()
    except ValueError:
        del st.query_params[MONTH_KEY]


def filters(months: list[date]) -> tuple[date, str | None, str | None]:
    """Month, hall and team; the URL keeps their codes (``st_period``, ``st_hall``,
    ``st_team``), so a link means the same in both languages."""
    _month_from_link()
    left, middle, right = st.columns(3)
    with left:
        month = url_state.choice(
            st.selectbox,
            t("st.month"),
            [m.isoformat() for m in months],
            key=MONTH_KEY,
            # Like the KPI pages: the latest finished month, not a half-filled one.
            default=default_start("month", months, kpis.as_of()).isoformat(),
            format_func=lambda code: code[:7],
        )
    month = date.fromisoformat(month)
    halls = staff.halls(month)
    names = dict(zip(halls["hall_id"], halls["hall_name"], strict=True))
    # A hall manager looks at one of their halls at a time: "every hall" would mean the
    # city's KPIs, which are not theirs.
    if auth.hall_scope() is None or not names:
        names = {ALL: t("st.all")} | names
    with middle:
        hall = url_state.choice(
            st.selectbox,
            t("st.hall"),
            list(names),
            key="st_hall",
            default=next(iter(names)),
            format_func=names.__getitem__,
        )
    with right:
        team = url_state.choice(
            st.selectbox,
            t("st.team"),
            [ALL, *staff.teams(month)],
            key="st_team",
            default=ALL,
            format_func=lambda code: t("st.all") if code == ALL else code_label("team", code),
        )
    return month, None if hall == ALL else hall, None if team == ALL else team


def kpi_section(month: date, hall: str | None) -> None:
    """The month's SMS-rating KPIs, for the chosen hall when there is one (a team is not a
    KPI segment: the tiles ignore that filter)."""
    if not kpis.published():
        return
    catalogue = kpis.catalog(domain=RATINGS_DOMAIN)
    segment_type, segment_value = (HALL_SEGMENT, hall) if hall else (kpis.ALL, kpis.ALL)
    items = kpis.tiles(
        catalogue, Period("month", month), segment_type=segment_type, segment_value=segment_value
    )
    kpi_view.tiles(items)
    st.caption(t("st.kpi_note"))


def halls_section(month: date, team: str | None) -> None:
    st.subheader(t("st.halls"))
    summary = staff.hall_summary(month, team)
    summary["hall_name"] = summary["hall_name"].fillna(t("st.no_hall"))
    st.caption(t("st.halls_note"))
    fig = _interval_figure(summary, category="hall_name", horizontal=True)
    st.plotly_chart(fig, config=charts.CHART_CONFIG, key="st_hall_chart")
    _table(summary, "staff_halls")


def evaluation_section(frame: pd.DataFrame) -> None:
    st.subheader(t("st.evaluation"))
    st.caption(t("st.rank_note", n=staff.RANK_MIN_VALID_REPLIES))
    labelled = frame.copy()
    labelled["staff_label"] = labelled["staff_name"] + " · " + labelled["staff_id"]
    fig = _interval_figure(labelled, category="staff_label", horizontal=True)
    st.plotly_chart(fig, config=charts.CHART_CONFIG, key="st_staff_chart")
    # The hall's name is enough here: its code is in the halls' table above.
    shown = frame.drop(columns=["hall_id"])
    shown["team"] = label_each(shown["team"], partial(code_label, "team"))
    _table(shown, "staff_evaluation")


def detail_section(month: date, frame: pd.DataFrame) -> None:
    st.subheader(t("st.detail"))
    names = {NOBODY: t("st.pick_staff")} | {
        sid: f"{name} · {sid}"
        for sid, name in zip(frame["staff_id"], frame["staff_name"], strict=True)
    }
    staff_id = url_state.choice(
        st.selectbox,
        t("st.staff"),
        list(names),
        key="st_staff",
        default=NOBODY,
        format_func=names.__getitem__,
    )
    if staff_id == NOBODY:
        st.caption(t("st.pick_staff_note"))
        return
    history = staff.history(staff_id)
    st.markdown(f"**{t('st.history')}**")
    labelled = history.assign(month_label=history["month"].map(_month_label))
    fig = _interval_figure(labelled, category="month_label", horizontal=False)
    st.plotly_chart(fig, config=charts.CHART_CONFIG, key="st_history_chart")
    _table(history.assign(month=labelled["month_label"]), "staff_history")
    replies_part(staff_id, month, frame.loc[frame["staff_id"] == staff_id, "invitations"].iloc[0])


def replies_part(staff_id: str, month: date, invitations: int) -> None:
    st.markdown(f"**{t('st.replies', month=_month_label(month))}**")
    if not auth.can(Capability.REPLIES):
        st.caption(t("auth.no_replies"))
        return
    if not staff.replies_available():
        st.info(t("st.replies_missing"))
        return
    replies = staff.replies(staff_id, month)
    if replies.empty:
        st.info(t("st.no_replies"))
        return
    st.caption(t("st.replies_count", replies=len(replies), no_reply=invitations - len(replies)))
    shown = replies.assign(
        rating=[
            code_label("st.code", int(code)) if pd.notna(code) else code_label("st.status", s)
            for code, s in zip(replies["reply_code"], replies["reply_status"], strict=True)
        ],
        channel=label_each(replies["channel"], partial(segment_label, "channel")),
    )
    columns = ["rating", "reply_text", "invited_at", "reply_at", "channel", "service_type",
               "msisdn_masked", "invitation_id"]  # fmt: skip
    _table(shown[columns], "staff_replies", reply_text=st.column_config.TextColumn(width="large"))


def render() -> None:
    st.caption(t("st.intro"))
    months = staff.months() if staff.available() else []
    if not months:
        st.info(t("st.no_data"))
        return
    month, hall, team = filters(months)
    if auth.hall_scope() is not None:
        st.caption(t("auth.hall_scope", halls=t("list.sep").join(auth.hall_scope())))
    kpi_section(month, hall)
    halls_section(month, team)
    if not auth.can(Capability.STAFF_NAMES):
        st.caption(t("auth.no_staff_names"))
        return
    evaluation = staff.evaluation(month, hall, team)
    if evaluation.empty:
        st.info(t("st.no_match"))
        return
    evaluation_section(evaluation)
    detail_section(month, evaluation)


render()
