"""数据质量 · Data quality: how every delivery was loaded, and why rows were quarantined.

Untrusted text (file names, raw lines, details) is shown only through ``st.dataframe``,
which renders it as plain text, never as HTML or Markdown.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st
from lib import charts, kpi_view, quality
from lib.i18n import headers, reason_label, t, table_label

SAMPLE_LIMIT = 200
ORPHAN_SAMPLE_LIMIT = 200


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else t("dq.unknown")


def _with_table_label(frame: pd.DataFrame) -> pd.DataFrame:
    labelled = frame.copy()
    labelled.insert(1, "table_label", labelled["table_name"].map(table_label))
    return labelled.rename(columns={"table_name": "table"})


def _table(
    frame: pd.DataFrame, name: str, *, height: str = "auto", **column_config: object
) -> None:
    """A translated, plain-text table with its CSV/Excel downloads; an empty cell is a
    dash (nothing recorded), not the KPI pages' "not assessed"."""
    kpi_view.table(frame, name, height=height, placeholder="—", **column_config)


def summary(info: quality.BuildInfo, deliveries: pd.DataFrame, rejected: pd.DataFrame) -> None:
    # Timestamps get a row of their own: at six to a row they do not fit.
    build, as_of = st.columns(2)
    build.metric(t("dq.built_at" if info.recorded else "dq.published_at"), _when(info.built_at))
    as_of.metric(t("dq.as_of"), _when(info.as_of))
    files, loaded, quarantined, still_rejected = st.columns(4)
    files.metric(t("dq.files"), f"{deliveries['files'].sum():,}")
    loaded.metric(t("dq.rows_loaded"), f"{deliveries['rows_loaded'].sum():,}")
    quarantined.metric(t("dq.rows_quarantined"), f"{deliveries['rows_quarantined'].sum():,}")
    still_rejected.metric(t("dq.files_rejected"), f"{len(rejected):,}")


def deliveries_section(deliveries: pd.DataFrame) -> None:
    st.subheader(t("dq.deliveries"))
    if deliveries.empty:
        st.info(t("dq.no_deliveries"))
        return
    _table(_with_table_label(deliveries), "deliveries")
    st.caption(t("dq.unaccounted_note"))


def freshness_section() -> None:
    st.subheader(t("dq.freshness"))
    st.caption(t("dq.freshness_note"))
    # One row per contract table: short enough to show whole, no inner scrolling.
    _table(
        _with_table_label(quality.freshness()),
        "freshness",
        height="content",
        hours_behind_as_of=st.column_config.NumberColumn(format="%.1f"),
    )


def rejected_section(rejected: pd.DataFrame) -> None:
    st.subheader(t("dq.rejected"))
    st.caption(t("dq.rejected_note"))
    if rejected.empty:
        st.info(t("dq.no_rejected"))
        return
    labelled = _with_table_label(rejected)
    labelled.insert(4, "reason_label", labelled["reason"].map(reason_label))
    _table(labelled, "rejected_files")


def reasons_section(reasons: pd.DataFrame) -> None:
    st.subheader(t("dq.reasons"))
    if reasons.empty:
        st.info(t("dq.no_quarantine"))
        return
    labelled = _with_table_label(reasons)
    fig = charts.stacked_bars(
        labelled,
        value="n_rows",
        category="table_label",
        stack="reason",
        labels={
            "n_rows": t("col.rows"),
            "table_label": t("col.table_label"),
            "reason": t("col.reason"),
        },
    )
    st.plotly_chart(fig, config=charts.CHART_CONFIG)
    labelled.insert(3, "reason_label", labelled["reason"].map(reason_label))
    _table(labelled.rename(columns={"n_rows": "rows"}), "quarantine_reasons")
    with st.expander(t("dq.reason_legend")):
        codes = sorted(reasons["reason"].unique())
        legend = pd.DataFrame({"reason": codes, "reason_label": [reason_label(c) for c in codes]})
        st.dataframe(headers(legend), hide_index=True)


def sample_section(reasons: pd.DataFrame) -> None:
    st.subheader(t("dq.sample"))
    if reasons.empty:
        st.info(t("dq.no_quarantine"))
        return
    # Options are the stable codes, so a filtered URL means the same in both languages.
    left, right = st.columns(2)
    table = left.selectbox(
        t("dq.filter_table"),
        sorted(reasons["table_name"].unique()),
        index=None,
        placeholder=t("dq.all"),
        key="dq_table",
        bind="query-params",
    )
    reason = right.selectbox(
        t("dq.filter_reason"),
        sorted(reasons["reason"].unique()),
        index=None,
        placeholder=t("dq.all"),
        key="dq_reason",
        bind="query-params",
    )
    sample = quality.quarantine_sample(table, reason, SAMPLE_LIMIT)
    if sample.empty:
        st.info(t("dq.no_match"))
        return
    total = quality.quarantine_count(table, reason)
    st.caption(t("dq.sample_count", shown=len(sample), total=total))
    _table(
        sample.rename(columns={"table_name": "table"}),
        "quarantine_sample",
        raw_line=st.column_config.TextColumn(width="large"),
    )


def orphans_section() -> None:
    counts = quality.orphan_counts()
    if counts is None:
        return  # this build publishes no orphan check
    st.subheader(t("dq.orphans"))
    st.caption(t("dq.orphans_note"))
    if counts.empty:
        st.info(t("dq.no_orphans"))
        return
    _table(_with_table_label(counts).rename(columns={"n_rows": "rows"}), "orphan_counts")
    sample = quality.orphan_sample(ORPHAN_SAMPLE_LIMIT)
    st.caption(t("dq.orphan_sample", shown=len(sample)))
    _table(sample.rename(columns={"table_name": "table"}), "orphan_records")


st.caption(t("dq.intro"))
deliveries = quality.deliveries()
reasons = quality.reason_counts()
rejected = quality.rejected_files()
summary(quality.build_info(), deliveries, rejected)
deliveries_section(deliveries)
freshness_section()
rejected_section(rejected)
reasons_section(reasons)
sample_section(reasons)
orphans_section()
