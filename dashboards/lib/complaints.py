"""Queries behind the complaints page, over ``marts.complaint_reply_watchlist`` and
``marts.complaint_timelines``; the KPI figures come from ``lib.kpis``.

Both marts hold masked phone numbers only. ``summary`` is untrusted free text: the page
shows it through ``st.dataframe``, which renders plain text.

Complaints are single customers' cases (``Capability.CASES``); a hall manager gets those
handled in their halls only (a complaint without a hall is nobody's hall).
"""

from __future__ import annotations

import pandas as pd

from lib import auth, serving
from lib.kpis import ALL
from pipelines.access.policy import Capability

DOMAIN = "complaints"
SEGMENT_TYPES = ("channel", "category")
FIRST_REPLY = "complaint_first_reply_48h"
RESOLVED = "complaint_resolved_15d"

# The segment filter ($1 type, $2 value) as a constant: channel and category are the only
# complaint segments, and the values arrive as parameters.
_SEGMENT_FILTER = """
    ($1 = 'all'
     OR ($1 = 'channel' AND w.channel = $2)
     OR ($1 = 'category' AND w.category = $2))
"""
# The signed-in user's halls as $3 (NULL: every complaint).
_HALL_FILTER = "($3::VARCHAR[] IS NULL OR list_contains($3::VARCHAR[], w.hall_id))"


def watchlist(segment_type: str = ALL, segment_value: str = ALL, limit: int = 500) -> pd.DataFrame:
    """Complaints still without a first reply at ``as_of``, least time left first."""
    auth.require(Capability.CASES)
    return serving.query(
        f"""
        SELECT w.complaint_id, w.received_at, w.channel, w.category, w.urgency,
               w.msisdn_masked, w.first_owner_name, w.hall_name, w.reply_deadline_at,
               w.hours_left, w.is_breached, w.is_at_risk, t.summary
        FROM marts.complaint_reply_watchlist AS w
        LEFT JOIN marts.complaint_timelines AS t ON w.complaint_id = t.complaint_id
        WHERE {_SEGMENT_FILTER} AND {_HALL_FILTER}
        ORDER BY w.hours_left, w.complaint_id
        LIMIT $4
        """,
        (segment_type, segment_value, auth.hall_scope(), limit),
    )


def watchlist_counts(segment_type: str = ALL, segment_value: str = ALL) -> dict[str, int]:
    """How many complaints wait for a first reply: in all, at risk, already past 48 h."""
    auth.require(Capability.CASES)
    found = serving.query(
        f"""
        SELECT count(*) AS waiting,
               count(*) FILTER (WHERE w.is_at_risk) AS at_risk,
               count(*) FILTER (WHERE w.is_breached) AS breached
        FROM marts.complaint_reply_watchlist AS w
        WHERE {_SEGMENT_FILTER} AND {_HALL_FILTER}
        """,
        (segment_type, segment_value, auth.hall_scope()),
    )
    return {name: int(found[name].iloc[0]) for name in found.columns}


def timeline(complaint_id: str) -> pd.DataFrame:
    """The complaint's row of ``marts.complaint_timelines`` (empty when unknown, or not in
    the signed-in user's halls)."""
    auth.require(Capability.CASES)
    return serving.query(
        """
        SELECT complaint_id, received_at, channel, category, urgency, msisdn_masked,
               first_owner_name, hall_name, status, first_reply_at, hours_to_first_reply,
               reply_deadline_at, first_closed_at, resolve_deadline_at,
               first_reached_callback_at, first_reached_callback_outcome,
               first_callback_after_close_at, escalations, reopenings_after_close, is_repeat,
               summary, as_of
        FROM marts.complaint_timelines
        WHERE complaint_id = $1
          AND ($2::VARCHAR[] IS NULL OR list_contains($2::VARCHAR[], hall_id))
        """,
        (complaint_id, auth.hall_scope()),
    )
