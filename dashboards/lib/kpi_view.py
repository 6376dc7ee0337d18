"""The KPI widgets every KPI page shares: period and segment pickers, tiles, KPI choice.

Filters live in the URL under the page's prefix (``ov_``, ``cp_``, ``hl_``, …):
``<prefix>grain``, ``<prefix>period`` (the period's first day), ``<prefix>segment``
(``channel:hall``) and ``<prefix>kpi``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lib import charts, export, figures, kpis, url_state
from lib.i18n import headers, label_each, segment_label, segment_type_label, t
from lib.periods import GRAINS, Period, default_start

DEFAULT_GRAIN = "month"
TILE_COLUMNS = 4


def domain_period(prefix: str, domain: str, intro_key: str) -> Period | None:
    """How a domain page opens: its introduction, the "no KPIs published" state, then the
    period picker. None when the page has nothing to show."""
    st.caption(t(intro_key))
    if not kpis.published():
        st.info(t("kpi.no_kpis"))
        return None
    return period_picker(prefix, domain=domain)


def period_picker(
    prefix: str, *, domain: str | None = None, kpi_ids: Sequence[str] | None = None
) -> Period | None:
    """Grain and period widgets, defaulting to the latest complete period; None when the
    KPIs have no figure at the chosen grain."""
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    grain = url_state.choice(
        left.segmented_control,
        t("kpi.grain"),
        list(GRAINS),
        key=f"{prefix}grain",
        default=DEFAULT_GRAIN,
        format_func=lambda g: t(f"grain.{g}"),
        required=True,
    )
    starts = kpis.period_starts(grain, domain, kpi_ids)
    as_of = kpis.as_of()
    default = default_start(grain, starts, as_of)
    if default is None:
        st.info(t("kpi.no_periods"))
        return None

    def label(code: str) -> str:
        period = Period(grain, date.fromisoformat(code))
        partial = "" if period.is_complete(as_of) else t("kpi.partial")
        return period.label() + partial

    code = url_state.choice(
        right.selectbox,
        t("kpi.period"),
        [s.isoformat() for s in reversed(starts)],
        key=f"{prefix}period",
        default=default.isoformat(),
        format_func=label,
    )
    if as_of is not None:
        st.caption(t("kpi.period_note", as_of=f"{as_of:%Y-%m-%d %H:%M}"))
    return Period(grain, date.fromisoformat(code))


def segment_picker(
    prefix: str,
    segment_types: Sequence[str],
    *,
    domain: str | None = None,
    kpi_ids: Sequence[str] | None = None,
) -> tuple[str, str]:
    """One breakdown to look at — everybody, or one value of one of ``segment_types``;
    returns (segment_type, segment_value)."""
    found = kpis.kpi_segments(domain, kpi_ids)
    codes = [kpis.ALL] + [
        f"{segment_type}:{value}"
        for segment_type in segment_types
        for value in sorted(
            found.loc[found["segment_type"] == segment_type, "segment_value"].unique()
        )
    ]

    def label(code: str) -> str:
        if code == kpis.ALL:
            return t("kpi.all")
        segment_type, value = code.split(":", 1)
        return f"{segment_type_label(segment_type)} · {segment_label(segment_type, value)}"

    code = url_state.choice(
        st.selectbox,
        t("kpi.segment"),
        codes,
        key=f"{prefix}segment",
        default=kpis.ALL,
        format_func=label,
    )
    if code == kpis.ALL:
        return kpis.ALL, kpis.ALL
    segment_type, value = code.split(":", 1)
    return segment_type, value


def kpi_picker(prefix: str, catalogue: pd.DataFrame, default: str, *, label: str) -> str:
    """One KPI of ``catalogue`` (by id in the URL, by name on screen)."""
    names = dict(zip(catalogue["kpi_id"], catalogue["name"], strict=True))
    return url_state.choice(
        st.selectbox,
        label,
        list(names),
        key=f"{prefix}kpi",
        default=default,
        format_func=names.__getitem__,
    )


def tile(cell: DeltaGenerator, item: kpis.Tile) -> None:
    """One KPI: status badge, value, change on the previous period, trend, target."""
    with cell:
        st.badge(
            t(f"status.{item.status}"),
            color=kpis.STATUS_COLOURS[item.status],
        )
        value = kpis.format_value(item.value, item.unit)
        st.metric(
            item.name,
            kpis.NOT_ASSESSED_MD if value == kpis.NOT_ASSESSED else value,
            kpis.format_change(item.change, item.unit),
            # Green means better: down is good for lower-is-better KPIs.
            delta_color="normal" if item.direction == "higher_better" else "inverse",
            delta_description=t("kpi.vs_previous") if item.change is not None else None,
            chart_data=list(item.trend) if len(item.trend) > 1 else None,
            help=_numbers_help(item),
        )
        st.caption(kpis.format_target(item.target, item.direction, item.unit))


def _numbers_help(item: kpis.Tile) -> str:
    if item.denominator is None:
        return t("kpi.not_assessed_help")
    return t(
        "kpi.ratio_help",
        numerator=f"{item.numerator:,.6g}",
        denominator=f"{item.denominator:,.6g}",
    )


def tiles(items: Sequence[kpis.Tile]) -> None:
    grid = st.grid(TILE_COLUMNS, min_column_width=230, border=True)
    for item in items:
        tile(grid.cell(), item)


def table(
    frame: pd.DataFrame,
    name: str,
    *,
    key: str | None = None,
    on_select: Callable[[], None] | None = None,
    height: int | str = "auto",
    placeholder: str = kpis.NOT_ASSESSED,
    **column_config: object,
) -> None:
    """A plain-text table with translated headers (``col.*``) and its CSV/Excel downloads;
    with ``on_select``, a row can be picked. ``column_config`` is keyed by column name;
    ``height="content"`` shows a short table whole, without inner scrolling;
    ``placeholder`` stands for an empty cell."""
    shown = headers(frame)
    # Times to the minute: seconds only widen the columns.
    config: dict[str, object] = {
        c: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        for c in shown.columns
        if pd.api.types.is_datetime64_any_dtype(shown[c])
    }
    config |= {t(f"col.{c}"): cfg for c, cfg in column_config.items()}
    st.dataframe(
        shown,
        hide_index=True,
        height=height,
        column_config=config,
        placeholder=placeholder,
        key=key,
        on_select=on_select or "ignore",
        selection_mode="single-row",
    )
    export.download_buttons(shown, name)


def trend(
    catalogue: pd.DataFrame, period: Period, kpi_ids: Sequence[str], segment: tuple[str, str]
) -> pd.DataFrame | None:
    """The figures of ``kpi_ids`` in ``segment`` over the last ``kpis.TREND_PERIODS``
    periods up to ``period``, as the input of ``figures.trend``; None, with a note, when
    none of them has a figure there."""
    rows = kpis.values(
        period.grain,
        period.previous(kpis.TREND_PERIODS - 1).start,
        period.start,
        kpi_ids=kpi_ids,
        segment_type=segment[0],
        segment_value=segment[1],
    )
    if rows["value"].notna().sum() == 0:
        st.info(t("kpi.nothing_for_filter"))
        return None
    return _trend_frame(rows, catalogue, period, kpi_ids)


def _trend_frame(
    rows: pd.DataFrame, catalogue: pd.DataFrame, period: Period, kpi_ids: Sequence[str]
) -> pd.DataFrame:
    """``rows`` of ``kpis.values`` as the input of ``figures.trend``: every period of the
    window (a gap where a KPI was not assessed), from the first period with any figure."""
    info = catalogue.set_index("kpi_id")
    window = [period.previous(n) for n in reversed(range(kpis.TREND_PERIODS))]
    found = rows.assign(period_start=pd.to_datetime(rows["period_start"]).dt.date)
    first = found["period_start"].min()
    frames = []
    for kpi in kpi_ids:
        by_start = found[found["kpi_id"] == kpi].set_index("period_start")["value"]
        frames.append(
            pd.DataFrame(
                {
                    "name": info.loc[kpi, "name"],
                    "period_label": [p.label() for p in window if p.start >= first],
                    "value": [by_start.get(p.start) for p in window if p.start >= first],
                    "target": info.loc[kpi, "target"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def breakdown(kpi: pd.Series, period: Period, segment_types: Sequence[str]) -> pd.DataFrame:
    """The KPI in ``period`` per value of each of ``segment_types``: segment_type,
    segment_value, label, value, text, status, numerator, denominator.

    ``kpi`` is the KPI's catalogue row indexed by id:
    ``catalogue.set_index("kpi_id").loc[kpi_id]`` (so ``kpi.name`` is the id).
    """
    rows = pd.concat(
        [
            kpis.values(
                period.grain,
                period.start,
                period.start,
                kpi_ids=[kpi.name],
                segment_type=segment_type,
                segment_value=None,
            )
            for segment_type in segment_types
        ],
        ignore_index=True,
    )
    target = kpis.number(kpi["target"])
    return rows.assign(
        label=[
            segment_label(s, v)
            for s, v in zip(rows["segment_type"], rows["segment_value"], strict=True)
        ],
        text=[kpis.format_value(v, kpi["unit"]) for v in rows["value"]],
        status=[
            t(f"status.{kpis.status(kpis.number(v), target, kpi['direction'], kpi['unit'])}")
            for v in rows["value"]
        ],
    )


def breakdown_table(parts: pd.DataFrame, name: str) -> None:
    """``breakdown``'s rows as a table, with downloads."""
    frame = pd.DataFrame(
        {
            "segment_type": label_each(parts["segment_type"], segment_type_label),
            "segment": parts["label"],
            "value": parts["text"],
            "status": parts["status"],
            "numerator": parts["numerator"],
            "denominator": parts["denominator"],
        }
    )
    # A handful of segment values: shown whole.
    table(frame, name, height="content")


def breakdown_section(
    kpi_id: str, catalogue: pd.DataFrame, period: Period, segment_types: Sequence[str]
) -> None:
    """Bars of the KPI per segment value, one chart per segment type side by side, then
    the figures as a table; a sentence when the period has no breakdown."""
    kpi = catalogue.set_index("kpi_id").loc[kpi_id]
    parts = breakdown(kpi, period, segment_types)
    if parts.empty:
        st.info(t("kpi.nothing_for_filter"))
        return
    for column, segment_type in zip(st.columns(len(segment_types)), segment_types, strict=True):
        shown = parts[parts["segment_type"] == segment_type]
        if shown["value"].notna().any():
            column.caption(segment_type_label(segment_type))
            column.plotly_chart(
                figures.breakdown(shown, unit=kpi["unit"], target=kpis.number(kpi["target"])),
                config=charts.CHART_CONFIG,
            )
    breakdown_table(parts, f"{kpi_id}_{period.grain}_{period.start:%Y%m%d}")


def status_legend() -> None:
    st.caption(t("kpi.status_legend"))
