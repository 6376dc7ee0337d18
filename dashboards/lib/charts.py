"""Plotly figures in the dashboard's style.

The font list starts with a CJK family: Chinese labels must render in the browser and in
PNG exports (kaleido), which use the machine's fonts (Debian ``fonts-noto-cjk``).
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

# Plotly's toolbar without its logo link: the machines have no internet. Every chart's
# `st.plotly_chart(..., config=CHART_CONFIG)`.
CHART_CONFIG = {"displaylogo": False}
FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'


def styled(fig: go.Figure, *, height: int) -> go.Figure:
    """Apply the house layout: CJK font, tight margins, legend above the plot."""
    fig.update_layout(
        font={"family": FONT_FAMILY},
        height=height,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
    )
    return fig


def stacked_bars(
    frame: pd.DataFrame, *, value: str, category: str, stack: str, labels: dict[str, str]
) -> go.Figure:
    """Horizontal bars of ``value`` per ``category``, stacked by ``stack``."""
    fig = px.bar(
        frame, x=value, y=category, color=stack, orientation="h", labels=labels, text_auto=True
    )
    fig.update_yaxes(categoryorder="total ascending", title=None)
    # Each bar carries its value; axis ticks would add fractions (0.5 rows) to counts.
    fig.update_xaxes(showticklabels=False, showgrid=False)
    return styled(fig, height=120 + 36 * frame[category].nunique())
