"""投诉 · Complaints: the complaint KPIs, their trends and breakdowns, the complaints close
to (or past) the 48-hour first-reply promise, and one complaint's timeline.

Complaint summaries are untrusted free text: they are shown only through ``st.dataframe``
(plain text), never in Markdown.

By role: the KPI sections are city-wide figures (``Capability.CITY_WIDE``); the watchlist and
timelines are single customers' cases (``Capability.CASES``), cut to a hall manager's halls.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from lib import auth, charts, complaints, figures, kpi_view, kpis, serving, url_state
from lib.i18n import code_label, label_each, segment_label, t
from lib.periods import Period

from pipelines.access.policy import Capability

PREFIX = "cp_"
COMPLAINT_KEY = f"{PREFIX}complaint"
WATCHLIST_KEY = f"{PREFIX}watchlist"


def tiles_section(catalogue: pd.DataFrame, period: Period, segment: tuple[str, str]) -> None:
    items = kpis.tiles(catalogue, period, segment_type=segment[0], segment_value=segment[1])
    if all(item.value is None for item in items):
        st.info(t("kpi.nothing_for_filter"))
    kpi_view.tiles(items)
    kpi_view.status_legend()


def trend_section(catalogue: pd.DataFrame, period: Period, segment: tuple[str, str]) -> None:
    st.subheader(t("cp.trends"))
    ids = [complaints.FIRST_REPLY, complaints.RESOLVED]
    frame = kpi_view.trend(catalogue, period, ids, segment)
    if frame is None:
        return
    st.plotly_chart(
        figures.trend(frame, unit="ratio", x_title=t(f"grain.{period.grain}")),
        config=charts.CHART_CONFIG,
    )


def breakdown_section(catalogue: pd.DataFrame, period: Period) -> None:
    st.subheader(t("cp.breakdown"))
    kpi = kpi_view.kpi_picker(PREFIX, catalogue, complaints.FIRST_REPLY, label=t("cp.kpi"))
    kpi_view.breakdown_section(kpi, catalogue, period, complaints.SEGMENT_TYPES)


def _watch_status(row: pd.Series) -> str:
    if row["is_breached"]:
        return t("cp.breached")
    return t("cp.at_risk") if row["is_at_risk"] else t("cp.waiting")


def _pick(complaint_ids: list[str]) -> None:
    """A row picked in the watchlist opens its timeline below."""
    rows = st.session_state[WATCHLIST_KEY].selection.rows
    if rows:
        st.session_state[COMPLAINT_KEY] = complaint_ids[rows[0]]


def watchlist_section(segment: tuple[str, str]) -> None:
    st.subheader(t("cp.watchlist"))
    st.caption(t("cp.watchlist_note"))
    counts = complaints.watchlist_counts(*segment)
    waiting, at_risk, breached = st.columns(3)
    waiting.metric(t("cp.waiting_count"), f"{counts['waiting']:,}")
    at_risk.metric(t("cp.at_risk_count"), f"{counts['at_risk']:,}")
    breached.metric(t("cp.breached_count"), f"{counts['breached']:,}")
    rows = complaints.watchlist(*segment)
    if rows.empty:
        st.info(t("cp.no_waiting"))
        return
    frame = pd.DataFrame(
        {
            "complaint_id": rows["complaint_id"],
            "hours_left": rows["hours_left"],
            "watch_status": rows.apply(_watch_status, axis=1),
            "reply_deadline_at": rows["reply_deadline_at"],
            "urgency": label_each(rows["urgency"], partial(code_label, "urgency")),
            "category": label_each(rows["category"], partial(segment_label, "category")),
            "summary": rows["summary"],
            "channel": label_each(rows["channel"], partial(segment_label, "channel")),
            "msisdn_masked": rows["msisdn_masked"],
            "first_owner_name": rows["first_owner_name"],
            "hall_name": rows["hall_name"],
            "received_at": rows["received_at"],
        }
    )
    kpi_view.table(
        frame,
        "complaint_watchlist",
        key=WATCHLIST_KEY,
        on_select=partial(_pick, rows["complaint_id"].tolist()),
        hours_left=st.column_config.NumberColumn(format="%.1f"),
        summary=st.column_config.TextColumn(width="medium"),
    )
    if counts["waiting"] > len(rows):
        st.caption(t("cp.watchlist_limited", shown=len(rows), total=counts["waiting"]))


def _milestones(row: pd.Series) -> pd.DataFrame:
    as_of = row["as_of"]

    def on_time(at: object, deadline: object) -> str | None:
        if pd.isna(deadline):
            return None
        if pd.isna(at):
            return t("cp.late") if as_of > deadline else None
        return t("cp.on_time") if at <= deadline else t("cp.late")

    outcome = row["first_reached_callback_outcome"]
    steps = [
        ("received", row["received_at"], pd.NaT),
        ("first_reply", row["first_reply_at"], row["reply_deadline_at"]),
        ("first_close", row["first_closed_at"], row["resolve_deadline_at"]),
        ("reached_callback", row["first_reached_callback_at"], pd.NaT),
        ("callback_after_close", row["first_callback_after_close_at"], pd.NaT),
    ]
    return pd.DataFrame(
        {
            "milestone": [t(f"cp.milestone.{name}") for name, _, _ in steps],
            "at": [at for _, at, _ in steps],
            "deadline": [deadline for _, _, deadline in steps],
            "on_time": [on_time(at, deadline) for _, at, deadline in steps],
            "note": [
                code_label("callback_outcome", outcome)
                if name == "reached_callback" and pd.notna(outcome)
                else None
                for name, _, _ in steps
            ],
        }
    )


def _facts(row: pd.Series) -> pd.DataFrame:
    fields = {
        "status": code_label("complaint_status", row["status"]),
        "channel": segment_label("channel", row["channel"]),
        "category": segment_label("category", row["category"]),
        "urgency": code_label("urgency", row["urgency"]),
        "msisdn_masked": row["msisdn_masked"],
        "first_owner_name": row["first_owner_name"],
        "hall_name": row["hall_name"],
        "escalations": f"{row['escalations']:.0f}",
        "reopenings_after_close": f"{row['reopenings_after_close']:.0f}",
        "is_repeat": t("cp.yes") if row["is_repeat"] else t("cp.no"),
        "summary": row["summary"],
    }
    return pd.DataFrame(
        {"field": [t(f"col.{name}") for name in fields], "detail": list(fields.values())}
    )


def timeline_section() -> None:
    st.subheader(t("cp.timeline"))
    url_state.seed(COMPLAINT_KEY, "")
    complaint_id = st.text_input(
        t("cp.complaint_id"), key=COMPLAINT_KEY, placeholder=t("cp.complaint_hint")
    ).strip()
    url_state.publish(COMPLAINT_KEY, "")
    if not complaint_id:
        return
    found = complaints.timeline(complaint_id)
    if found.empty:
        st.info(t("cp.no_complaint"))
        return
    row = found.iloc[0]
    milestones = _milestones(row)
    st.plotly_chart(
        figures.timeline(
            milestones,
            deadline_name=t("col.deadline"),
            as_of=row["as_of"],
            as_of_name=t("cp.as_of"),
        ),
        config=charts.CHART_CONFIG,
    )
    kpi_view.table(milestones, "complaint_timeline", height="content")
    # Full width: the summary is the longest text of the page.
    kpi_view.table(
        _facts(row),
        "complaint_details",
        height="content",
        detail=st.column_config.TextColumn(width="large"),
    )


def kpi_sections() -> tuple[str, str] | None:
    """The city-wide figures; the breakdown chosen, or None when there is nothing to show."""
    period = kpi_view.domain_period(PREFIX, complaints.DOMAIN, "cp.intro")
    if period is None:
        return None
    segment = kpi_view.segment_picker(PREFIX, complaints.SEGMENT_TYPES, domain=complaints.DOMAIN)
    catalogue = kpis.catalog(complaints.DOMAIN)
    tiles_section(catalogue, period, segment)
    trend_section(catalogue, period, segment)
    breakdown_section(catalogue, period)
    return segment


def render() -> None:
    if auth.can(Capability.CITY_WIDE):
        segment = kpi_sections()
        if segment is None:
            return
    else:
        # A hall manager: complaint KPIs are not broken down by hall, so none is theirs.
        st.caption(t("cp.hall_intro"))
        st.caption(t("auth.hall_scope", halls=t("list.sep").join(auth.hall_scope() or ())))
        segment = (kpis.ALL, kpis.ALL)
    if not auth.can(Capability.CASES):
        st.caption(t("auth.no_cases"))
        return
    if serving.table_exists("marts", "complaint_reply_watchlist"):
        watchlist_section(segment)
    if serving.table_exists("marts", "complaint_timelines"):
        timeline_section()


render()
