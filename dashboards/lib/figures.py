"""Plotly figures of the KPI pages, in the house style of ``lib.charts``.

Labels arrive translated; values arrive as stored (ratios 0–1, seconds), and each figure
formats its own axis and hover text from the KPI's unit.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib.charts import FONT_FAMILY, styled

# Plotly's default palette, named so that a KPI's target line takes its series' colour.
_PALETTE = ("#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692")
_TARGET_LINE = {"dash": "dot", "width": 1}
_HEIGHT = 320


def _formats(unit: str, values: pd.Series) -> tuple[str, str]:
    """d3 formats (axis, hover) for ``values``: percentages get decimals when they are tiny
    or close together (ticks 94.5 % and 95.5 % must not both read 95 %)."""
    if unit != "ratio":
        return ",.0f", ",.1f"
    if values.empty:
        return ".0%", ".1%"
    if values.abs().max() < 0.01:
        return ".2%", ".3%"
    return (".1%" if values.max() - values.min() < 0.05 else ".0%"), ".1%"


def trend(frame: pd.DataFrame, *, unit: str, x_title: str) -> go.Figure:
    """One line per KPI over periods; its target as a dotted line in the same colour.

    ``frame``: name, period_label, value, target (one row per KPI and period).
    """
    fig = go.Figure()
    axis_format, value_format = _formats(
        unit, pd.concat([frame["value"], frame["target"]]).dropna()
    )
    for i, (name, rows) in enumerate(frame.groupby("name", sort=False)):
        colour = _PALETTE[i % len(_PALETTE)]
        fig.add_scatter(
            x=rows["period_label"],
            y=rows["value"],
            name=name,
            mode="lines+markers",
            line={"color": colour},
            # A gap, not a line through it, where a period was not assessed.
            connectgaps=False,
            hovertemplate=f"%{{x}}<br>%{{y:{value_format}}}<extra>{name}</extra>",
        )
        target = rows["target"].dropna()
        if not target.empty:
            fig.add_scatter(
                x=rows["period_label"],
                y=[target.iloc[0]] * len(rows),
                mode="lines",
                line={"color": colour, **_TARGET_LINE},
                showlegend=False,
                hoverinfo="skip",
            )
    fig.update_yaxes(tickformat=axis_format)
    fig.update_xaxes(title=x_title, type="category")
    return styled(fig, height=_HEIGHT)


def small_multiples(
    frame: pd.DataFrame, *, units: dict[str, str], seconds: str, columns: int = 3
) -> go.Figure:
    """One small chart per KPI over periods, each on its own scale (5 % abandons and 95 %
    answers do not share an axis), its target dotted. ``frame`` as for ``trend``;
    ``units`` maps each name to its unit, ``seconds`` is that unit's label in titles."""
    names = list(dict.fromkeys(frame["name"]))
    rows = -(-len(names) // columns)
    titles = [f"{n} ({seconds})" if units[n] == "seconds" else n for n in names]
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        shared_xaxes=True,
        vertical_spacing=0.5 / rows,
        horizontal_spacing=0.06,
    )
    for i, name in enumerate(names):
        row, col = divmod(i, columns)
        points = frame[frame["name"] == name]
        unit = units[name]
        axis_format, value_format = _formats(
            unit, pd.concat([points["value"], points["target"]]).dropna()
        )
        fig.add_scatter(
            x=points["period_label"],
            y=points["value"],
            mode="lines+markers",
            line={"color": _PALETTE[0]},
            connectgaps=False,
            showlegend=False,
            hovertemplate=f"%{{x}}<br>%{{y:{value_format}}}<extra>{name}</extra>",
            row=row + 1,
            col=col + 1,
        )
        target = points["target"].dropna()
        if not target.empty:
            fig.add_scatter(
                x=points["period_label"],
                y=[target.iloc[0]] * len(points),
                mode="lines",
                line={"color": _PALETTE[1], **_TARGET_LINE},
                showlegend=False,
                hoverinfo="skip",
                row=row + 1,
                col=col + 1,
            )
        fig.update_yaxes(tickformat=axis_format, nticks=4, row=row + 1, col=col + 1)
    fig.update_xaxes(type="category", showticklabels=True)
    # Subplot titles are annotations: they take the house font only when set here.
    fig.update_annotations(font={"family": FONT_FAMILY, "size": 13})
    styled(fig, height=190 * rows)
    fig.update_layout(margin={"t": 28})
    return fig


def breakdown(frame: pd.DataFrame, *, unit: str, target: float | None) -> go.Figure:
    """Horizontal bars of one KPI per segment, in the order given, target as a line.

    ``frame``: label, value, text, numerator, denominator (one row per segment value).
    """
    shown = frame.dropna(subset=["value"])
    axis_format, value_format = _formats(unit, shown["value"])
    fig = go.Figure(
        go.Bar(
            x=shown["value"],
            y=shown["label"],
            orientation="h",
            text=shown["text"],
            textposition="auto",
            customdata=shown[["numerator", "denominator"]],
            hovertemplate=(
                f"%{{y}}: %{{x:{value_format}}}<br>%{{customdata[0]:,.6g}} / "
                "%{customdata[1]:,.6g}<extra></extra>"
            ),
            marker_color=_PALETTE[0],
        )
    )
    if target is not None:
        fig.add_vline(x=target, line={"color": _PALETTE[1], **_TARGET_LINE})
    fig.update_xaxes(tickformat=axis_format, title=None)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return styled(fig, height=80 + 34 * max(len(shown), 1))


def heatmap(
    frame: pd.DataFrame, *, value: str, colour_title: str, diverging: bool, percent: bool
) -> go.Figure:
    """Day × half-hour heatmap. ``frame``: day_label, slot ("HH:MM") and ``value``."""
    grid = frame.pivot_table(index="day_label", columns="slot", values=value, aggfunc="sum")
    grid = grid.reindex(columns=sorted(grid.columns))
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            colorscale="RdBu" if diverging else "Blues",
            zmid=0 if diverging else None,
            colorbar={"title": {"text": colour_title}, "tickformat": ".0%" if percent else ""},
            hovertemplate=(
                f"%{{y}} %{{x}}<br>{colour_title}: %{{z:{'.1%' if percent else ',.1f'}}}"
                "<extra></extra>"
            ),
            xgap=1,
            ygap=1,
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", automargin=True)
    fig.update_xaxes(type="category", tickangle=-45, nticks=24)
    return styled(fig, height=120 + 22 * len(grid.index))


def staffing(frame: pd.DataFrame, *, needed: str, on_shift: str, offered: str) -> go.Figure:
    """Agents needed (Erlang C) against agents on shift per half hour, with offered calls.

    ``frame``: slot, agents_needed, agents_on_shift, offered_calls.
    """
    fig = go.Figure()
    fig.add_bar(
        x=frame["slot"],
        y=frame["agents_needed"],
        name=needed,
        marker_color=_PALETTE[0],
        opacity=0.7,
    )
    fig.add_scatter(
        x=frame["slot"],
        y=frame["agents_on_shift"],
        name=on_shift,
        mode="lines+markers",
        line={"color": _PALETTE[1], "shape": "hv"},
    )
    fig.add_scatter(
        x=frame["slot"],
        y=frame["offered_calls"],
        name=offered,
        mode="lines",
        line={"color": _PALETTE[2], "dash": "dot"},
        yaxis="y2",
    )
    # No axis titles: sideways Chinese is hard to read, and the legend names each series.
    fig.update_layout(
        yaxis={"rangemode": "tozero"},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            "tickmode": "auto",
        },
        hovermode="x unified",
    )
    fig.update_xaxes(type="category", tickangle=-45, nticks=24)
    return styled(fig, height=_HEIGHT)


def timeline(
    frame: pd.DataFrame, *, deadline_name: str, as_of: pd.Timestamp, as_of_name: str
) -> go.Figure:
    """One complaint's milestones on a time axis, its deadlines as open diamonds and the
    data's ``as_of`` as a line (what has not happened by then is still open).

    ``frame``: milestone, at (timestamp or NaT), deadline (timestamp or NaT).
    """
    fig = go.Figure()
    happened = frame.dropna(subset=["at"])
    fig.add_scatter(
        x=happened["at"],
        y=happened["milestone"],
        mode="markers",
        marker={"size": 12, "color": _PALETTE[0]},
        showlegend=False,
        hovertemplate="%{y}: %{x|%Y-%m-%d %H:%M}<extra></extra>",
    )
    deadlines = frame.dropna(subset=["deadline"])
    fig.add_scatter(
        x=deadlines["deadline"],
        y=deadlines["milestone"],
        mode="markers",
        name=deadline_name,
        marker={"size": 12, "symbol": "diamond-open", "color": _PALETTE[1]},
        hovertemplate=f"{deadline_name}: %{{x|%Y-%m-%d %H:%M}}<extra></extra>",
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(frame["milestone"])[::-1],
        automargin=True,
    )
    fig.add_vline(x=as_of, line={"color": "gray", "dash": "dash", "width": 1})
    fig.add_annotation(
        x=as_of, y=1, yref="paper", text=as_of_name, showarrow=False, yanchor="bottom"
    )
    fig.update_xaxes(tickformat="%m-%d %H:%M")
    return styled(fig, height=110 + 40 * len(frame))
