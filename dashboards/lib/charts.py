"""Charts in the dashboard's style: Vega-Lite specs, drawn by ``show``.

Vega-Lite, not plotly: Streamlit draws Vega-Lite with the library every KPI tile's trend
line already loads, whereas a page's first plotly chart loads and runs plotly.js (4.7 MB),
which took longer than all the rest of the page, cached or not (docs/benchmarks.md).

The font list starts with a CJK family, so that Chinese labels render alike on every
machine (Debian ``fonts-noto-cjk``) and in the PNG the chart's toolbar downloads.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
# The dashboard's series colours (plotly's default palette, which its charts began with).
PALETTE = (
    "#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a",
    "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52",
)  # fmt: skip
# A legend above the plot, without a title: the series names say what they are.
LEGEND = {"orient": "top", "title": None}
# Whole names on axes and in legends (Vega-Lite cuts them at 160–180 px): a category or a
# series is told apart by its end as often as by its start.
_LABEL_LIMIT = 400  # px

Spec = dict[str, Any]


def styled(spec: Spec, *, height: int) -> Spec:
    """The house layout: CJK font, ``height`` pixels in all (axes and legend included)."""
    return {
        **spec,
        "height": height,
        "config": {
            "font": FONT_FAMILY,
            "axis": {"labelLimit": _LABEL_LIMIT},
            "legend": {"labelLimit": _LABEL_LIMIT},
        },
    }


def colours(names: list[str]) -> dict[str, list[str]]:
    """A colour scale giving ``names`` the palette's colours in order."""
    return {"domain": names, "range": [PALETTE[i % len(PALETTE)] for i in range(len(names))]}


def show(spec: Spec, *, key: str | None = None) -> None:
    """Draw ``spec`` across its container's width."""
    st.vega_lite_chart(spec=spec, width="stretch", key=key)


def grid(specs: list[Spec], *, columns: int) -> None:
    """Draw ``specs`` side by side, ``columns`` to a row."""
    for first in range(0, len(specs), columns):
        for cell, spec in zip(st.columns(columns), specs[first : first + columns], strict=False):
            with cell:
                show(spec)


def stacked_bars(
    frame: pd.DataFrame, *, value: str, category: str, stack: str, labels: dict[str, str]
) -> Spec:
    """Horizontal bars of ``value`` per ``category``, stacked by ``stack`` (in the order
    its values first appear), each part labelled with its value where it is wide enough to
    hold it; the largest total on top."""
    shown = frame[[category, stack, value]]
    stacks = list(dict.fromkeys(shown[stack]))
    totals = shown.groupby(category, sort=False)[value].sum().sort_values(ascending=False)
    y = {"field": category, "type": "nominal", "sort": list(totals.index), "title": None}
    tooltip = [{"field": f, "title": labels.get(f, f)} for f in (stack, value, category)]
    return styled(
        {
            "data": {"values": shown},
            "transform": [
                {
                    "calculate": f"indexof({json.dumps(stacks)}, datum[{json.dumps(stack)}])",
                    "as": "part",
                },
                {
                    "stack": value,
                    "groupby": [category],
                    "sort": [{"field": "part"}],
                    "as": ["start", "end"],
                },
                {"calculate": "(datum.start + datum.end) / 2", "as": "middle"},
            ],
            "layer": [
                {
                    "mark": "bar",
                    "encoding": {
                        # Each bar carries its value; axis ticks would add fractions (0.5
                        # rows) to counts.
                        "x": {
                            "field": "start",
                            "type": "quantitative",
                            "title": labels.get(value, value),
                            "axis": {"labels": False, "ticks": False, "grid": False},
                        },
                        "x2": {"field": "end"},
                        "y": y,
                        "color": {
                            "field": stack,
                            "type": "nominal",
                            "scale": colours(stacks),
                            "legend": LEGEND,
                        },
                        "tooltip": tooltip,
                    },
                },
                {
                    "mark": {
                        "type": "text",
                        "color": "white",
                        # Shown only where the part is wide enough (in pixels) to hold it.
                        "opacity": {
                            "expr": "scale('x', datum.end) - scale('x', datum.start) > "
                            f"7 * length(format(datum[{json.dumps(value)}], '')) + 6 ? 1 : 0"
                        },
                    },
                    "encoding": {
                        "x": {"field": "middle", "type": "quantitative"},
                        "y": y,
                        "text": {"field": value, "type": "quantitative"},
                        "tooltip": tooltip,
                    },
                },
            ],
        },
        height=120 + 36 * len(totals),
    )
