"""Trend charts as PNG images for the e-mails (plotly, rendered by kaleido in Chromium).

Mail clients show no JavaScript, so every chart is a picture. kaleido drives a headless
Chromium: starting it costs seconds, so one server is started per process and reused
(~0.2 s per image afterwards). Chinese labels need a CJK font on the machine (Debian
``fonts-noto-cjk``), named first in the font list.
"""

from __future__ import annotations

import math
import threading
from datetime import date

import kaleido
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pipelines.reports.content import KpiFigure

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
COLUMNS = 3
WIDTH = 900
ROW_HEIGHT = 210
# Room between rows of charts for the x labels and the next row's titles, in pixels.
ROW_GAP = 60
LINE = "#0969da"
TARGET = "#cf222e"

# kaleido's sync server answers one caller at a time through a shared queue.
_render_lock = threading.Lock()


def png(fig: go.Figure, *, width: int, height: int) -> bytes:
    with _render_lock:
        kaleido.start_sync_server(silence_warnings=True)
        return kaleido.calc_fig_sync(
            fig.to_dict(), opts={"format": "png", "width": width, "height": height, "scale": 2}
        )


def domain_trends(
    figures: list[KpiFigure],
    weeks: list[date],
    trends: dict[str, list[float | None]],
    language: str,
) -> bytes:
    """One small chart per KPI of a domain: the weekly value and, dashed, its target."""
    rows = math.ceil(len(figures) / COLUMNS)
    height = ROW_HEIGHT * rows + 40
    fig = make_subplots(
        rows=rows,
        cols=COLUMNS,
        subplot_titles=[f.kpi.name(language) for f in figures],
        horizontal_spacing=0.08,
        vertical_spacing=ROW_GAP / height,
    )
    labels = [w.strftime("%m-%d") for w in weeks]
    for n, figure in enumerate(figures):
        row, col = n // COLUMNS + 1, n % COLUMNS + 1
        # Ratios are read as percentages; other units as they are.
        scale = 100.0 if figure.kpi.unit == "ratio" else 1.0
        values = [None if v is None else v * scale for v in trends[figure.kpi.kpi_id]]
        fig.add_trace(
            go.Scatter(x=labels, y=values, mode="lines+markers", line={"color": LINE, "width": 2}),
            row=row,
            col=col,
        )
        if figure.kpi.target is not None:
            fig.add_hline(
                y=figure.kpi.target * scale,
                line={"color": TARGET, "dash": "dash", "width": 1},
                row=row,
                col=col,
            )
        fig.update_yaxes(ticksuffix="%" if scale == 100.0 else "", row=row, col=col)
    # Week labels are categories: as text plotly would guess them to be dates ("09-07" → 2009).
    # Every other week is labelled, counting back from the latest, or they overlap.
    fig.update_xaxes(type="category", tickangle=0, tickvals=labels[::-2])
    fig.update_annotations(font={"size": 13})
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": 11},
        showlegend=False,
        template="plotly_white",
        margin={"l": 40, "r": 16, "t": 36, "b": 24},
    )
    return png(fig, width=WIDTH, height=height)
