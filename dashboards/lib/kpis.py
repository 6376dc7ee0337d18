"""KPI figures for every page: the catalogue, values by grain/period/segment, status and text.

Everything comes from ``marts.kpi_values`` and ``marts.kpi_catalog`` (names, units,
direction, targets: the one declaration of the KPIs). A page picks a domain (or a list of
KPI ids), a ``Period`` and a segment, and gets one ``Tile`` per KPI.

Status of a value against its target (the colour of a tile):

- ``met`` (green): the mart's ``meets_target`` — value ≥ target, or ≤ for lower-is-better;
- ``near`` (amber): missed by no more than the *amber margin*: 1 percentage point for ratio
  KPIs and 5 s for seconds KPIs, but never more than 10 % of the target itself (so the
  10⁻⁴ billing-error ceiling gets 10⁻⁵). A promise of 100 % (a higher-is-better ratio with
  target 1.00, e.g. 48-hour first reply) has no margin: any miss breaks the promise;
- ``missed`` (red): missed by more than that;
- ``no_target``: the catalogue sets none; ``not_assessed``: no value (denominator 0 or no
  row for the period), shown as «--».
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import pandas as pd

from lib import auth, serving
from lib.i18n import language, t
from lib.periods import Period

NOT_ASSESSED = "--"
# The same for Markdown (st.metric values): the browser typesets "--" as "—", even escaped;
# a word joiner (zero width) between the hyphens keeps them two hyphens.
NOT_ASSESSED_MD = "-\u2060-"
ALL = "all"  # segment_type and segment_value of the whole-population rows

# Per unit, the most a value may miss its target by and still count as near (amber).
_AMBER_CAP = {"ratio": 0.01, "seconds": 5.0}
_AMBER_SHARE_OF_TARGET = 0.10
# Below this a change between two periods is float noise (100 % − 100 %).
_NO_CHANGE = 1e-12


class Status(StrEnum):
    MET = "met"
    NEAR = "near"
    MISSED = "missed"
    NO_TARGET = "no_target"
    NOT_ASSESSED = "not_assessed"


STATUS_COLOURS = {
    Status.MET: "green",
    Status.NEAR: "orange",
    Status.MISSED: "red",
    Status.NO_TARGET: "gray",
    Status.NOT_ASSESSED: "gray",
}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def amber_margin(target: float, direction: str, unit: str) -> float:
    if unit == "ratio" and direction == "higher_better" and target >= 1:
        return 0.0
    return min(_AMBER_CAP.get(unit, math.inf), abs(target) * _AMBER_SHARE_OF_TARGET)


def status(value: float | None, target: float | None, direction: str, unit: str) -> Status:
    if _missing(value):
        return Status.NOT_ASSESSED
    if _missing(target):
        return Status.NO_TARGET
    miss = target - value if direction == "higher_better" else value - target
    if miss <= 0:
        return Status.MET
    return Status.NEAR if miss <= amber_margin(target, direction, unit) else Status.MISSED


# --- text -----------------------------------------------------------------------------------


def _fixed(number: float, decimals: int, *, avoid: tuple[float, ...] = ()) -> str:
    """``number`` with ``decimals`` places; a smaller number gets two significant digits
    (0.005 %, not 0.0 % or a rounded-up 0.01 % that equals a target), and a number that
    would round onto ``avoid`` gets more places (99.96 % must not read as a kept 100 %)."""
    if number != 0 and abs(number) < 10**-decimals:
        places = 1 - math.floor(math.log10(abs(number)))
        return f"{number:.{places}f}".rstrip("0")
    for places in range(decimals, decimals + 4):
        text = f"{number:.{places}f}"
        if float(text) not in avoid or number in avoid:
            return text
    # Still on a value to avoid: cut the digits instead of rounding towards it.
    return f"{math.trunc(number * 10**places) / 10**places:.{places}f}"


def format_value(value: float | None, unit: str) -> str:
    """A KPI value in its unit; «--» when not assessed."""
    if _missing(value):
        return NOT_ASSESSED
    if unit == "ratio":
        return f"{_fixed(value * 100, 1, avoid=(0.0, 100.0))}%"
    if unit == "seconds":
        return f"{value:.1f} {t('unit.seconds')}"
    return _fixed(value, 2)


def format_change(change: float | None, unit: str) -> str | None:
    """A change between two periods: percentage points for ratios; None when unknown."""
    if _missing(change):
        return None
    if abs(change) < _NO_CHANGE:
        return "0"  # Streamlit shows "0" grey and without an arrow
    if unit == "ratio":
        return f"{'+' if change >= 0 else ''}{_fixed(change * 100, 1)} {t('unit.pp')}"
    if unit == "seconds":
        return f"{change:+.1f} {t('unit.seconds')}"
    return f"{'+' if change >= 0 else ''}{_fixed(change, 2)}"


def format_target(target: float | None, direction: str, unit: str) -> str:
    if _missing(target):
        return t("kpi.no_target")
    sign = "≥" if direction == "higher_better" else "≤"
    return t("kpi.target", sign=sign, value=format_value(target, unit))


# --- queries --------------------------------------------------------------------------------

# Parameters $1 (domain) and $2 (kpi ids) narrow a query to some KPIs; NULL means any.
_KPI_FILTER = """
    kpi_id IN (
        SELECT kpi_id FROM marts.kpi_catalog
        WHERE ($1::VARCHAR IS NULL OR domain = $1)
          AND ($2::VARCHAR[] IS NULL OR list_contains($2::VARCHAR[], kpi_id))
    )
"""
# The signed-in user's rows ($halls, see lib.auth.hall_scope): NULL means every row; a list
# keeps only the KPIs of those halls (a hall manager sees no city-wide figure).
_SCOPE_FILTER = """
    ($halls::VARCHAR[] IS NULL
     OR (segment_type = 'hall' AND list_contains($halls::VARCHAR[], segment_value)))
"""


def _scoped(sql: str, params: tuple[object, ...]) -> pd.DataFrame:
    """``sql`` with ``$halls`` bound to the signed-in user's halls (numbered after ``params``)."""
    halls = f"${len(params) + 1}"
    return serving.query(sql.replace("$halls", halls), (*params, auth.hall_scope()))


def published() -> bool:
    """Whether this build published the KPI marts (an early or partial build may not)."""
    return serving.table_exists("marts", "kpi_values") and serving.table_exists(
        "marts", "kpi_catalog"
    )


def catalog(domain: str | None = None, kpi_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The catalogue in display order, with ``name`` in the current language."""
    frame = serving.query(
        f"""
        SELECT kpi_id, name_zh, name_en, domain, unit, direction, target, display_order
        FROM marts.kpi_catalog
        WHERE {_KPI_FILTER}
        ORDER BY display_order, kpi_id
        """,
        (domain, _ids(kpi_ids)),
    )
    frame["name"] = frame["name_zh" if language() == "zh" else "name_en"]
    return frame


def _ids(kpi_ids: Sequence[str] | None) -> list[str] | None:
    return None if kpi_ids is None else list(kpi_ids)


def period_starts(
    grain: str, domain: str | None = None, kpi_ids: Sequence[str] | None = None
) -> list[date]:
    """The periods of ``grain`` that have any whole-population figure, oldest first."""
    found = _scoped(
        f"""
        SELECT DISTINCT period_start FROM marts.kpi_values
        WHERE grain = $3 AND segment_type = '{ALL}' AND {_KPI_FILTER} AND {_SCOPE_FILTER}
        ORDER BY period_start
        """,
        (domain, _ids(kpi_ids), grain),
    )
    return [pd.Timestamp(d).date() for d in found["period_start"]]


def kpi_segments(domain: str | None = None, kpi_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Which segment values each KPI is broken down by (kpi_id, segment_type, segment_value)."""
    return _scoped(
        f"""
        SELECT DISTINCT kpi_id, segment_type, segment_value FROM marts.kpi_values
        WHERE grain = 'month' AND segment_type <> '{ALL}' AND {_KPI_FILTER} AND {_SCOPE_FILTER}
        ORDER BY segment_type, segment_value, kpi_id
        """,
        (domain, _ids(kpi_ids)),
    )


def kpi_grains(domain: str | None = None, kpi_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The grains each KPI has figures at (billing-month KPIs have months only)."""
    return _scoped(
        f"""
        SELECT DISTINCT kpi_id, grain FROM marts.kpi_values
        WHERE segment_type = '{ALL}' AND {_KPI_FILTER} AND {_SCOPE_FILTER}
        """,
        (domain, _ids(kpi_ids)),
    )


def values(
    grain: str,
    first: date,
    last: date,
    *,
    domain: str | None = None,
    kpi_ids: Sequence[str] | None = None,
    segment_type: str = ALL,
    segment_value: str | None = ALL,
) -> pd.DataFrame:
    """KPI rows of ``grain`` with period_start in [first, last] for one segment
    (``segment_value=None``: every value of ``segment_type``)."""
    return _scoped(
        f"""
        SELECT kpi_id, period_start, segment_type, segment_value,
               numerator, denominator, value, target, meets_target
        FROM marts.kpi_values
        WHERE grain = $3 AND period_start BETWEEN $4 AND $5
          AND segment_type = $6 AND ($7::VARCHAR IS NULL OR segment_value = $7)
          AND {_KPI_FILTER} AND {_SCOPE_FILTER}
        ORDER BY kpi_id, period_start, segment_value
        """,
        (domain, _ids(kpi_ids), grain, first, last, segment_type, segment_value),
    )


def as_of() -> datetime | None:
    """The build's ``as_of`` (``audit.build_info``): what "complete period" is measured by."""
    if not serving.table_exists("audit", "build_info"):
        return None
    found = serving.query("SELECT as_of FROM audit.build_info ORDER BY built_at DESC LIMIT 1")
    if found.empty or pd.isna(found["as_of"].iloc[0]):
        return None
    return pd.Timestamp(found["as_of"].iloc[0]).to_pydatetime()


# --- tiles ----------------------------------------------------------------------------------

TREND_PERIODS = 12


@dataclass(frozen=True)
class Tile:
    kpi_id: str
    name: str
    unit: str
    direction: str
    target: float | None
    value: float | None
    numerator: float | None
    denominator: float | None
    previous: float | None
    trend: tuple[float, ...]  # assessed values of the last TREND_PERIODS periods, oldest first

    @property
    def status(self) -> Status:
        return status(self.value, self.target, self.direction, self.unit)

    @property
    def change(self) -> float | None:
        if _missing(self.value) or _missing(self.previous):
            return None
        return self.value - self.previous


def number(value: object) -> float | None:
    """A figure from a frame as a float; None for NULL/NaN."""
    return None if value is None or pd.isna(value) else float(value)


def tiles(
    catalogue: pd.DataFrame,
    period: Period,
    *,
    segment_type: str = ALL,
    segment_value: str = ALL,
) -> list[Tile]:
    """One tile per catalogue row for ``period``, with the previous period and a trend."""
    if catalogue.empty:
        return []
    first = period.previous(TREND_PERIODS - 1).start
    rows = values(
        period.grain,
        first,
        period.start,
        kpi_ids=catalogue["kpi_id"].tolist(),
        segment_type=segment_type,
        segment_value=segment_value,
    )
    by_kpi = {kpi: frame.set_index("period_start") for kpi, frame in rows.groupby("kpi_id")}
    previous = pd.Timestamp(period.previous().start)
    current = pd.Timestamp(period.start)
    out = []
    for kpi in catalogue.itertuples():
        frame = by_kpi.get(kpi.kpi_id, pd.DataFrame())
        row = frame.loc[current] if current in frame.index else None
        before = frame.loc[previous] if previous in frame.index else None
        out.append(
            Tile(
                kpi_id=kpi.kpi_id,
                name=kpi.name,
                unit=kpi.unit,
                direction=kpi.direction,
                target=number(kpi.target),
                value=None if row is None else number(row["value"]),
                numerator=None if row is None else number(row["numerator"]),
                denominator=None if row is None else number(row["denominator"]),
                previous=None if before is None else number(before["value"]),
                trend=tuple(frame["value"].dropna().astype(float)) if not frame.empty else (),
            )
        )
    return out
