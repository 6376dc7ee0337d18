"""Charts of the KPI pages, as Vega-Lite specs in the house style of ``lib.charts``.

Titles arrive translated (the tooltips name their figures by the tables' column labels);
values arrive as stored (ratios 0–1, seconds), and each chart formats its own axis and
tooltip from the KPI's unit.
"""

from __future__ import annotations

import pandas as pd

from lib.charts import LEGEND, PALETTE, Spec, colours, styled
from lib.i18n import t

_TARGET_DASH = [2, 2]
_HEIGHT = 320
# Low enough that nine KPIs' small trend charts, three to a row, fit on one screen.
_SMALL_HEIGHT = 190
# A line stops where a period was not assessed instead of joining its neighbours.
_GAPS = "break-paths-show-domains"


def _formats(unit: str, values: pd.Series) -> tuple[str, str]:
    """d3 formats (axis, tooltip) for ``values``: percentages get decimals when they are
    tiny or close together (ticks 94.5 % and 95.5 % must not both read 95 %)."""
    if unit != "ratio":
        return ",.0f", ",.1f"
    if values.empty:
        return ".0%", ".1%"
    if values.abs().max() < 0.01:
        return ".2%", ".3%"
    return (".1%" if values.max() - values.min() < 0.05 else ".0%"), ".1%"


def _periods(x_title: str | None) -> dict:
    # Periods as categories in the frame's order, never parsed as dates; upright labels,
    # some left out where they would overlap.
    return {
        "field": "period_label",
        "type": "ordinal",
        "sort": None,
        "title": x_title,
        "axis": {"labelAngle": 0, "labelOverlap": "greedy"},
    }


def _values(format_: str, **axis: object) -> dict:
    # The axis spans the figures, not zero to them: a rate moving between 94 % and 96 %.
    return {
        "field": "value",
        "type": "quantitative",
        "title": None,
        "scale": {"zero": False},
        "axis": {"format": format_, **axis},
    }


def trend(frame: pd.DataFrame, *, unit: str, x_title: str) -> Spec:
    """One line per KPI over periods; its target as a dotted line in the same colour.

    ``frame``: name, period_label, value, target (one row per KPI and period).
    """
    axis_format, value_format = _formats(
        unit, pd.concat([frame["value"], frame["target"]]).dropna()
    )
    scale = colours(list(dict.fromkeys(frame["name"])))
    x = _periods(x_title)
    return styled(
        {
            "data": {"values": frame},
            "layer": [
                {
                    "mark": {"type": "line", "point": True, "invalid": _GAPS},
                    "encoding": {
                        "x": x,
                        "y": _values(axis_format),
                        "color": {
                            "field": "name",
                            "type": "nominal",
                            "scale": scale,
                            "legend": LEGEND,
                        },
                        "tooltip": [
                            {"field": "name", "title": t("col.kpi")},
                            {"field": "period_label", "title": x_title},
                            {"field": "value", "title": t("col.value"), "format": value_format},
                        ],
                    },
                },
                {
                    "mark": {"type": "line", "strokeDash": _TARGET_DASH, "strokeWidth": 1},
                    "encoding": {
                        "x": x,
                        "y": {"field": "target", "type": "quantitative"},
                        "color": {"field": "name", "type": "nominal", "scale": scale},
                    },
                },
            ],
        },
        height=_HEIGHT,
    )


def small_multiples(frame: pd.DataFrame, *, units: dict[str, str], seconds: str) -> list[Spec]:
    """One small chart per KPI over periods, each on its own scale (5 % abandons and 95 %
    answers do not share an axis), its target dotted. ``frame`` as for ``trend``;
    ``units`` maps each name to its unit, ``seconds`` is that unit's label in titles."""
    specs = []
    for name, points in frame.groupby("name", sort=False):
        unit = units[name]
        axis_format, value_format = _formats(
            unit, pd.concat([points["value"], points["target"]]).dropna()
        )
        x = _periods(None)
        specs.append(
            styled(
                {
                    "title": {
                        "text": f"{name} ({seconds})" if unit == "seconds" else name,
                        "fontSize": 13,
                    },
                    "data": {"values": points},
                    "layer": [
                        {
                            "mark": {
                                "type": "line",
                                "point": True,
                                "color": PALETTE[0],
                                "invalid": _GAPS,
                            },
                            "encoding": {
                                "x": x,
                                "y": _values(axis_format, tickCount=4),
                                "tooltip": [
                                    {"field": "period_label", "title": t("col.period")},
                                    {
                                        "field": "value",
                                        "title": t("col.value"),
                                        "format": value_format,
                                    },
                                ],
                            },
                        },
                        {
                            "mark": {
                                "type": "line",
                                "color": PALETTE[1],
                                "strokeDash": _TARGET_DASH,
                                "strokeWidth": 1,
                            },
                            "encoding": {
                                "x": x,
                                "y": {"field": "target", "type": "quantitative"},
                            },
                        },
                    ],
                },
                height=_SMALL_HEIGHT,
            )
        )
    return specs


def breakdown(frame: pd.DataFrame, *, unit: str, target: float | None) -> Spec:
    """Horizontal bars of one KPI per segment, in the order given, each with its figure;
    the target as a dotted line.

    ``frame``: label, value, text, numerator, denominator (one row per segment value).
    """
    shown = frame.dropna(subset=["value"])[["label", "value", "text", "numerator", "denominator"]]
    axis_format, value_format = _formats(unit, shown["value"])
    y = {"field": "label", "type": "nominal", "sort": None, "title": None}
    tooltip = [
        {"field": "label", "title": t("col.segment")},
        {"field": "value", "title": t("col.value"), "format": value_format},
        {"field": "numerator", "title": t("col.numerator"), "format": ",.6g"},
        {"field": "denominator", "title": t("col.denominator"), "format": ",.6g"},
    ]
    layers: list[Spec] = [
        {
            "mark": {"type": "bar", "color": PALETTE[0]},
            "encoding": {
                "x": {
                    "field": "value",
                    "type": "quantitative",
                    "title": None,
                    "axis": {"format": axis_format},
                },
                "y": y,
                "tooltip": tooltip,
            },
        },
        {
            # Each bar's figure inside its end, in white, or beside it where the bar is
            # too short to hold it.
            "transform": [
                {"joinaggregate": [{"op": "max", "field": "value", "as": "longest"}]},
                {"calculate": "datum.value >= datum.longest / 4", "as": "inside"},
            ],
            "mark": {
                "type": "text",
                "align": {"expr": "datum.inside ? 'right' : 'left'"},
                "dx": {"expr": "datum.inside ? -4 : 4"},
            },
            "encoding": {
                "x": {"field": "value", "type": "quantitative"},
                "y": y,
                "text": {"field": "text"},
                "color": {
                    "condition": {"test": "datum.inside", "value": "white"},
                    "value": "black",
                },
                "tooltip": tooltip,
            },
        },
    ]
    if target is not None:
        layers.append(
            {
                "mark": {
                    "type": "rule",
                    "color": PALETTE[1],
                    "strokeDash": _TARGET_DASH,
                    "strokeWidth": 1,
                },
                "encoding": {"x": {"datum": target, "type": "quantitative"}},
            }
        )
    return styled(
        {"data": {"values": shown}, "layer": layers},
        height=80 + 34 * max(len(shown), 1),
    )


def _half_hours(slots: list[str]) -> dict:
    # 48 half hours: every other one labelled, as a clock reads.
    return {
        "field": "slot",
        "type": "ordinal",
        "sort": slots,
        "title": None,
        "axis": {"labelAngle": -45, "values": slots[::2]},
    }


def heatmap(
    frame: pd.DataFrame, *, value: str, colour_title: str, diverging: bool, percent: bool
) -> Spec:
    """Day × half-hour heatmap. ``frame``: day_label, slot ("HH:MM") and ``value``."""
    grid = frame.pivot_table(index="day_label", columns="slot", values=value, aggfunc="sum")
    grid = grid.reindex(columns=sorted(grid.columns))
    cells = (
        grid.reset_index()
        .melt(id_vars="day_label", var_name="slot", value_name="z")
        .dropna(subset=["z"])
    )
    days, slots = list(grid.index), list(grid.columns)
    colour = {"scheme": "redblue", "domainMid": 0} if diverging else {"scheme": "blues"}
    return styled(
        {
            "data": {"values": cells},
            "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
            "encoding": {
                "x": {**_half_hours(slots), "scale": {"domain": slots}},
                "y": {
                    "field": "day_label",
                    "type": "ordinal",
                    "sort": days,
                    "title": None,
                    "scale": {"domain": days},
                },
                "color": {
                    "field": "z",
                    "type": "quantitative",
                    "scale": colour,
                    "title": colour_title,
                    "legend": {"format": ".0%"} if percent else {},
                },
                "tooltip": [
                    {"field": "day_label", "title": t("grain.day")},
                    {"field": "slot", "title": t("col.slot")},
                    {"field": "z", "title": colour_title, "format": ".1%" if percent else ",.1f"},
                ],
            },
        },
        height=120 + 22 * len(days),
    )


def staffing(frame: pd.DataFrame, *, needed: str, on_shift: str, offered: str) -> Spec:
    """Agents needed (Erlang C) against agents on shift per half hour, with offered calls
    on an axis of their own at the right.

    ``frame``: slot, agents_needed, agents_on_shift, offered_calls.
    """
    shown = frame[["slot", "agents_needed", "agents_on_shift", "offered_calls"]]
    x = _half_hours(list(shown["slot"]))
    series = colours([needed, on_shift, offered])
    # No axis titles: sideways Chinese is hard to read, and the legend names each series.
    agents = {"type": "quantitative", "title": None}
    return styled(
        {
            "data": {"values": shown},
            "layer": [
                {
                    "layer": [
                        {
                            "mark": {"type": "bar", "opacity": 0.7},
                            "encoding": {
                                "x": x,
                                "y": {"field": "agents_needed", **agents},
                                "color": {"datum": needed, "scale": series, "legend": LEGEND},
                            },
                        },
                        {
                            "mark": {"type": "line", "interpolate": "step-after", "point": True},
                            "encoding": {
                                "x": x,
                                "y": {"field": "agents_on_shift", **agents},
                                "color": {"datum": on_shift},
                            },
                        },
                    ],
                },
                {
                    "mark": {"type": "line", "strokeDash": _TARGET_DASH},
                    "encoding": {
                        "x": x,
                        "y": {
                            "field": "offered_calls",
                            "type": "quantitative",
                            "title": None,
                            "axis": {"orient": "right", "grid": False},
                        },
                        "color": {"datum": offered},
                    },
                },
                {
                    # The whole half hour answers the pointer with all its figures.
                    "mark": {"type": "bar", "opacity": 0},
                    "encoding": {
                        "x": x,
                        "tooltip": [
                            {"field": "slot", "title": t("col.slot")},
                            {"field": "agents_needed", "title": needed, "format": ",.1f"},
                            {"field": "agents_on_shift", "title": on_shift, "format": ",.1f"},
                            {"field": "offered_calls", "title": offered, "format": ","},
                        ],
                    },
                },
            ],
            "resolve": {"scale": {"y": "independent"}},
        },
        height=_HEIGHT,
    )


def _local_time(values: pd.Series) -> pd.Series:
    # Asia/Shanghai wall-clock times as the browser reads them (an ISO time without an
    # offset is local time), so the chart shows the stored times whatever its time zone.
    return values.dt.strftime("%Y-%m-%dT%H:%M:%S")


def timeline(
    frame: pd.DataFrame, *, deadline_name: str, as_of: pd.Timestamp, as_of_name: str
) -> Spec:
    """One complaint's milestones on a time axis, its deadlines as open diamonds and the
    data's ``as_of`` as a line (what has not happened by then is still open).

    ``frame``: milestone, at (timestamp or NaT), deadline (timestamp or NaT).
    """
    points = pd.concat(
        [
            pd.DataFrame(
                {"milestone": frame["milestone"], "time": frame[column], "kind": column}
            ).dropna(subset=["time"])
            for column in ("at", "deadline")
        ],
        ignore_index=True,
    )
    points["time"] = _local_time(pd.to_datetime(points["time"]))
    y = {"field": "milestone", "type": "nominal", "sort": list(frame["milestone"]), "title": None}
    x = {"field": "time", "type": "temporal", "title": None, "axis": {"format": "%m-%d %H:%M"}}
    when = {"field": "time", "type": "temporal", "format": "%Y-%m-%d %H:%M"}
    as_of_time = _local_time(pd.Series([pd.Timestamp(as_of)])).iloc[0]
    at_as_of = {"datum": {"expr": f"toDate('{as_of_time}')"}, "type": "temporal"}
    return styled(
        {
            "data": {"values": points},
            "layer": [
                {
                    "transform": [{"filter": "datum.kind === 'at'"}],
                    "mark": {"type": "point", "filled": True, "size": 144, "color": PALETTE[0]},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "tooltip": [
                            {"field": "milestone", "title": t("col.milestone")},
                            {**when, "title": t("col.at")},
                        ],
                    },
                },
                {
                    "transform": [{"filter": "datum.kind === 'deadline'"}],
                    "mark": {"type": "point", "shape": "diamond", "filled": False, "size": 144},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "color": {
                            "datum": deadline_name,
                            "scale": {"domain": [deadline_name], "range": [PALETTE[1]]},
                            "legend": LEGEND,
                        },
                        "tooltip": [
                            {"field": "milestone", "title": t("col.milestone")},
                            {**when, "title": deadline_name},
                        ],
                    },
                },
                {
                    "mark": {"type": "rule", "color": "gray", "strokeDash": [4, 4]},
                    "encoding": {"x": at_as_of},
                },
                {
                    "mark": {
                        "type": "text",
                        "align": "left",
                        "baseline": "top",
                        "dx": 4,
                        "y": 0,
                        "color": "gray",
                        "text": as_of_name,
                    },
                    "encoding": {"x": at_as_of},
                },
            ],
        },
        height=110 + 40 * len(frame),
    )
