"""An app for AppTest that asks the dashboard's query modules directly, as whoever this
session is signed in as (the test puts the session token where a sign-in puts it), and
keeps what each query returned — or that it was refused — in ``st.session_state["probe"]``.

It shows that the policy holds where the data is read, whatever a page would show.
Run on the staff/billing fixture (staff_billing_fixture.py), month October 2026.
"""

from datetime import date

import pandas as pd
import streamlit as st
from lib import auth, billing, kpis, quality, staff
from lib.periods import Period

from pipelines.access.policy import Capability

OCT = date(2026, 10, 1)


def halls(frame: pd.DataFrame) -> list[str | None]:
    """The frame's hall ids, sorted; staff without a hall as None, last."""
    return sorted(
        (None if pd.isna(h) else h for h in frame["hall_id"]), key=lambda h: (h is None, h)
    )


QUERIES = {
    "months": lambda: [m.isoformat() for m in staff.months()],
    "halls": lambda: halls(staff.halls(OCT)),
    "evaluation": lambda: sorted(staff.evaluation(OCT, None, None)["staff_id"]),
    "evaluation_names": lambda: sorted(staff.evaluation(OCT, None, None)["staff_name"]),
    "hall_summary": lambda: halls(staff.hall_summary(OCT, None)),
    "history_S3": lambda: len(staff.history("S3")),
    "replies_S1": lambda: len(staff.replies("S1", OCT)),
    "kpis_by_hall": lambda: sorted(
        set(kpis.values("month", OCT, OCT, segment_type="hall", segment_value=None)["kpi_id"])
    ),
    "kpis_all": lambda: len(kpis.values("month", OCT, OCT)),
    "refund_violations": lambda: len(
        billing.violations(billing.DOUBLE_REFUNDS, Period("month", OCT))
    ),
    "tariff_savings": lambda: float(billing.tariff_savings(OCT)["total_saving"]),
    "deliveries": lambda: len(quality.deliveries()),
}

principal = auth.current()
probe: dict[str, object] = {"role": principal.role.value if principal else None}
for name, query in QUERIES.items():
    try:
        probe[name] = query()
    except auth.AccessDenied:
        probe[name] = "refused"
probe["can_cases"] = auth.can(Capability.CASES)
st.session_state["probe"] = probe
