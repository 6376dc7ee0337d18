"""Queries behind the 10086 hotline page, over ``marts.hotline_intervals``; the KPI figures
come from ``lib.kpis``.

The mart has one row per half hour and queue, plus ``queue = 'all'`` for the whole hotline.
Agents on shift are real only on the ``all`` rows: shifts carry no queue, so a queue row
gets a share of them in proportion to its offered load (see the mart's description).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib import auth, serving
from pipelines.access.policy import Capability

DOMAIN = "hotline"
SEGMENT_TYPES = ("queue", "brand")
WHOLE_HOTLINE = "all"  # the queue value of the whole-hotline rows


def intervals(first: date, last: date, queue: str = WHOLE_HOTLINE) -> pd.DataFrame:
    """The half hours of the days [first, last] for one queue, oldest first (the hotline is
    not a hall's: city-wide figures)."""
    auth.require(Capability.CITY_WIDE)
    return serving.query(
        """
        SELECT interval_start, offered_calls, answered_calls, answered_within_15s,
               abandoned_calls, mean_handle_seconds, agents_on_shift, agents_needed,
               agents_gap, occupancy, expected_service_level
        FROM marts.hotline_intervals
        WHERE interval_date BETWEEN $1 AND $2 AND queue = $3
        ORDER BY interval_start
        """,
        (first, last, queue),
    )
