"""KPI periods (kpis.md): a day, an ISO week starting Monday, or a calendar month.

A period is *complete* once it has ended at the data's ``as_of`` (``audit.build_info``):
its exclusive end (the next period's first day, 00:00) is at or before ``as_of``. So with
``as_of`` 2026-11-21 22:50 the latest complete day is 11-20, week 11-09 (Mon) and month
October. A complete period's deadline KPIs can still move at the next build (a complaint
received on its last day has 48 h to be answered); completeness is about the calendar only.
Pure functions, no Streamlit: the page widgets are in ``lib.kpi_view``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

GRAINS = ("day", "week", "month")


def floor(grain: str, day: date) -> date:
    """The first day of the ``grain`` period holding ``day``."""
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown grain {grain!r}")


def shift(grain: str, start: date, periods: int) -> date:
    """The first day of the period ``periods`` after (negative: before) the one at ``start``."""
    if grain == "day":
        return start + timedelta(days=periods)
    if grain == "week":
        return start + timedelta(weeks=periods)
    if grain == "month":
        months = start.year * 12 + start.month - 1 + periods
        return date(months // 12, months % 12 + 1, 1)
    raise ValueError(f"unknown grain {grain!r}")


@dataclass(frozen=True)
class Period:
    grain: str
    start: date

    @property
    def end(self) -> date:
        """The first day after the period (exclusive end)."""
        return shift(self.grain, self.start, 1)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def previous(self, periods: int = 1) -> Period:
        return Period(self.grain, shift(self.grain, self.start, -periods))

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days)]

    def is_complete(self, as_of: datetime | None) -> bool:
        """Whether the period had ended at ``as_of``; unknown ``as_of`` counts as complete."""
        return as_of is None or datetime.combine(self.end, datetime.min.time()) <= as_of

    def label(self) -> str:
        """The same text in both languages: ISO dates read the same in Chinese and English."""
        if self.grain == "month":
            return f"{self.start:%Y-%m}"
        if self.grain == "week":
            return f"{self.start:%Y-%m-%d} – {self.last_day:%m-%d}"
        return f"{self.start:%Y-%m-%d}"


def default_start(grain: str, starts: Sequence[date], as_of: datetime | None) -> date | None:
    """The latest complete period among ``starts``, else the latest one (None when empty).

    Executives read finished periods by default: a half-filled current month would compare
    badly with the previous full one.
    """
    if not starts:
        return None
    complete = [s for s in starts if Period(grain, s).is_complete(as_of)]
    return max(complete) if complete else max(starts)
