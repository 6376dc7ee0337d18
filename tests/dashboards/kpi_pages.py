"""Running a page headless with AppTest, signed in, and reading its tiles and tables back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest
from users_fixture import password

APP = Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py"
TIMEOUT = 60
OVERVIEW = "app_pages/overview.py"
# The role that may see everything (users_fixture.py): the page tests see every section.
DEFAULT_USER = "qa"


def sign_in(at: AppTest, username: str, secret: str | None = None) -> AppTest:
    """Fill in and submit the sign-in form (``secret``: a password other than the user's)."""
    at.text_input(key="auth_username").input(username)
    at.text_input(key="auth_password").input(password(username) if secret is None else secret)
    submit = [b for b in at.button if b.label in ("登录", "Sign in")]
    assert len(submit) == 1, [b.label for b in at.button]
    return submit[0].click().run()


def run_page(page: str, *, user: str = DEFAULT_USER, **query_params: str) -> AppTest:
    """The app opened with ``query_params`` in the URL, ``user`` signed in through the form,
    then on ``page`` (the sign-in lands on the role's home page; any other page is reached by
    a switch)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query_params)
    sign_in(at.run(), user)
    if page != OVERVIEW:
        at.switch_page(page).run()
    assert_ok(at)
    return at


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@dataclass(frozen=True)
class Tile:
    value: str
    change: str
    badge: str  # Markdown of st.badge, e.g. ":red-badge[未达标]"
    target: str


def tiles(at: AppTest) -> dict[str, Tile]:
    """Every KPI tile on the page by its label (a tile is a grid cell with a metric)."""
    found = {}
    for grid in at.get("grid_container"):
        for cell in grid.children.values():
            kinds = {child.type: child for child in cell.children.values()}
            metric = kinds["metric"]
            # «--» arrives with a word joiner between the hyphens (see kpis.NOT_ASSESSED_MD).
            shown = metric.value.replace("\u2060", "")
            found[metric.label] = Tile(
                shown, metric.delta, kinds["markdown"].value, kinds["caption"].value
            )
    return found


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The one table on the page that has all ``columns`` (translated headers)."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) == 1, f"{len(found)} tables with columns {columns}"
    return found[0]


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def metrics(at: AppTest) -> dict[str, str]:
    """The metrics outside tiles too (labels are unique on a page)."""
    return {m.label: m.value for m in at.metric}
