"""Queries behind the staff-ratings page (员工评价), over two marts.

``marts.staff_evaluation_monthly`` is the monthly evaluation table (kpis.md, "Staff evaluation
table"); ``marts.staff_rating_replies`` holds the individual ratings behind it. Each function
returns a DataFrame with the column names of the SQL; the page translates the headers.

Every query is cut to the signed-in user's halls (``lib.auth.hall_scope``); rows of named
staff need ``Capability.STAFF_NAMES`` and single replies ``Capability.REPLIES``: a role
without them gets the halls' totals only.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from lib import auth, serving
from pipelines.access.policy import Capability
from pipelines.policy import dbt_var

# The same z and rank minimum the staff evaluation model was built with (dbt vars).
WILSON_Z = float(dbt_var("wilson_z"))
RANK_MIN_VALID_REPLIES = int(dbt_var("staff_rank_min_valid_replies"))

# Table names interpolated into SQL below are these constants, never user input.
EVALUATION_MART = "staff_evaluation_monthly"
REPLIES_MART = "staff_rating_replies"

# `$1::VARCHAR IS NULL` turns an unset filter (None) into "everything"; $4 is the signed-in
# user's halls (None: every hall, and staff without a hall).
_FILTER = (
    "month = $1 AND ($2::VARCHAR IS NULL OR hall_id = $2) AND ($3::VARCHAR IS NULL OR team = $3)"
    " AND ($4::VARCHAR[] IS NULL OR list_contains($4::VARCHAR[], hall_id))"
)
# The same scope alone, as parameter $1.
_SCOPE = "($1::VARCHAR[] IS NULL OR list_contains($1::VARCHAR[], hall_id))"


def wilson_bounds(successes: pd.Series, n: pd.Series, z: float = WILSON_Z) -> pd.DataFrame:
    """The Wilson score interval of successes / n, as the staff evaluation model computes
    its lower bound: NaN where n is 0 (no valid reply, nothing to bound)."""
    n = n.astype(float).where(n > 0)
    p = successes.astype(float) / n
    centre = p + z * z / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    return pd.DataFrame({"lower": (centre - spread) / scale, "upper": (centre + spread) / scale})


def available() -> bool:
    return serving.table_exists("marts", EVALUATION_MART)


def months() -> list[date]:
    """Months of the evaluation table, newest first."""
    found = serving.query(
        f"SELECT DISTINCT month FROM marts.{EVALUATION_MART} WHERE {_SCOPE} ORDER BY month DESC",
        (auth.hall_scope(),),
    )
    return [pd.Timestamp(m).date() for m in found["month"]]


def halls(month: date) -> pd.DataFrame:
    """hall_id and hall_name of the halls with rated staff in ``month``."""
    return serving.query(
        f"""
        SELECT DISTINCT hall_id, coalesce(hall_name, hall_id) AS hall_name
        FROM marts.{EVALUATION_MART}
        WHERE month = $2 AND hall_id IS NOT NULL AND {_SCOPE}
        ORDER BY hall_id
        """,
        (auth.hall_scope(), month),
    )


def teams(month: date) -> list[str]:
    found = serving.query(
        f"SELECT DISTINCT team FROM marts.{EVALUATION_MART} WHERE month = $2 AND {_SCOPE} "
        "ORDER BY team",
        (auth.hall_scope(), month),
    )
    return found["team"].tolist()


def _with_interval(frame: pd.DataFrame) -> pd.DataFrame:
    bounds = wilson_bounds(frame["code_1_replies"], frame["valid_replies"])
    out = frame.copy()
    after_lower = out.columns.get_loc("satisfaction_wilson_lower") + 1
    out.insert(after_lower, "satisfaction_wilson_upper", bounds["upper"].to_numpy())
    return out


def evaluation(month: date, hall_id: str | None, team: str | None) -> pd.DataFrame:
    """The evaluation table of ``month``, filtered, with the Wilson upper bound added.

    Ranked staff come first in team and rank order, then the unranked by their bound.
    """
    auth.require(Capability.STAFF_NAMES)
    frame = serving.query(
        f"""
        SELECT staff_id, staff_name, hall_id, hall_name, team, invitations,
               valid_replies::BIGINT AS valid_replies,
               code_1_replies::BIGINT AS code_1_replies,
               code_2_replies::BIGINT AS code_2_replies,
               code_3_replies::BIGINT AS code_3_replies,
               satisfaction_rate, satisfaction_wilson_lower, rank_in_team,
               previous_month_satisfaction_rate, complaints_first_owned,
               hotline_answered_calls::BIGINT AS hotline_answered_calls,
               hotline_fcr_rate
        FROM marts.{EVALUATION_MART}
        WHERE {_FILTER}
        ORDER BY team, rank_in_team NULLS LAST, satisfaction_wilson_lower DESC NULLS LAST,
                 staff_id
        """,
        (month, hall_id, team, auth.hall_scope()),
    )
    return _with_interval(frame)


def hall_summary(month: date, team: str | None) -> pd.DataFrame:
    """Per hall (NULL: staff without a hall, e.g. hotline agents) the month's totals, with
    the satisfaction rate and its Wilson interval over all the hall's valid replies."""
    frame = serving.query(
        f"""
        SELECT hall_id, any_value(hall_name) AS hall_name,
               count(*) AS staff_members,
               sum(invitations)::BIGINT AS invitations,
               sum(valid_replies)::BIGINT AS valid_replies,
               sum(code_1_replies)::BIGINT AS code_1_replies,
               sum(code_3_replies)::BIGINT AS code_3_replies,
               sum(code_1_replies) / nullif(sum(valid_replies), 0) AS satisfaction_rate
        FROM marts.{EVALUATION_MART}
        WHERE {_FILTER}
        GROUP BY hall_id
        ORDER BY hall_id NULLS LAST
        """,
        (month, None, team, auth.hall_scope()),
    )
    bounds = wilson_bounds(frame["code_1_replies"], frame["valid_replies"])
    frame["satisfaction_wilson_lower"] = bounds["lower"].to_numpy()
    frame["satisfaction_wilson_upper"] = bounds["upper"].to_numpy()
    return frame


def history(staff_id: str) -> pd.DataFrame:
    """Every month of one staff member (in the signed-in user's halls), oldest first."""
    auth.require(Capability.STAFF_NAMES)
    frame = serving.query(
        f"""
        SELECT month, invitations,
               valid_replies::BIGINT AS valid_replies,
               code_1_replies::BIGINT AS code_1_replies,
               code_2_replies::BIGINT AS code_2_replies,
               code_3_replies::BIGINT AS code_3_replies,
               satisfaction_rate, satisfaction_wilson_lower, rank_in_team
        FROM marts.{EVALUATION_MART}
        WHERE staff_id = $2 AND {_SCOPE}
        ORDER BY month
        """,
        (auth.hall_scope(), staff_id),
    )
    return _with_interval(frame)


def replies_available() -> bool:
    return serving.table_exists("marts", REPLIES_MART)


def replies(staff_id: str, month: date) -> pd.DataFrame:
    """One staff member's replies in ``month`` (invitations without a reply left out):
    dissatisfied first, then fairly satisfied, satisfied, and the replies without a code;
    newest first within each."""
    auth.require(Capability.REPLIES)
    return serving.query(
        f"""
        SELECT invitation_id, invited_at, channel, service_type, msisdn_masked, reply_at,
               reply_text, reply_status, reply_code
        FROM marts.{REPLIES_MART}
        WHERE staff_id = $2 AND invited_month = $3 AND reply_status <> 'no_reply' AND {_SCOPE}
        ORDER BY CASE reply_code WHEN 3 THEN 0 WHEN 2 THEN 1 WHEN 1 THEN 2 ELSE 3 END,
                 invited_at DESC, invitation_id
        """,
        (auth.hall_scope(), staff_id, month),
    )
