"""Who may see what: roles, the dashboard pages each role opens, and what each role may read.

The one declaration of the access policy. The dashboard builds its navigation from
``Principal.pages``, refuses any other page, and cuts every query to ``Principal.can`` and
``Principal.hall_scope`` (``dashboards/lib/auth.py``); the report e-mails cut the monthly
evaluation to a recipient's halls with the same idea (``reports.toml``, ``[hall_scopes]``).

- ``executive``: every page; staff by name; no single customer replies.
- ``quality``: every page, single SMS-rating replies included.
- ``hall_manager``: the staff and complaints pages, cut to the halls assigned to them: their
  staff, the complaints handled in their halls, the KPIs of their halls (the KPIs that
  ``kpi_values`` breaks down by hall). City-wide figures are not theirs.
- ``viewer``: the overview and the domain pages' KPI figures and aggregates: no staff names,
  no rows about single customers, no data-quality records.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    EXECUTIVE = "executive"
    QUALITY = "quality"
    HALL_MANAGER = "hall_manager"
    VIEWER = "viewer"


class Page(StrEnum):
    """The dashboard's pages by URL path (``dashboards/streamlit_app.py`` registers them)."""

    OVERVIEW = "overview"
    COMPLAINTS = "complaints"
    HOTLINE = "hotline"
    STAFF = "staff"
    BILLING = "billing"
    DATA_QUALITY = "data-quality"


class Capability(StrEnum):
    # Figures of the whole branch, not cut to halls: KPIs of every segment, the hotline's
    # half hours, the billing aggregates.
    CITY_WIDE = "city_wide"
    # Rows about single customers' cases: complaints, billing violations, tariff savings.
    CASES = "cases"
    # Figures of named staff members: the evaluation table and a member's months.
    STAFF_NAMES = "staff_names"
    # Single SMS-rating replies: a customer's own words about a staff member.
    REPLIES = "replies"
    # Delivery and quarantine records (file names, rejected raw lines).
    DATA_QUALITY = "data_quality"


# The order is the navigation's; a role's first page is its home (served at "/").
ROLE_PAGES: dict[Role, tuple[Page, ...]] = {
    Role.EXECUTIVE: tuple(Page),
    Role.QUALITY: tuple(Page),
    Role.HALL_MANAGER: (Page.STAFF, Page.COMPLAINTS),
    Role.VIEWER: (Page.OVERVIEW, Page.COMPLAINTS, Page.HOTLINE, Page.STAFF, Page.BILLING),
}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.EXECUTIVE: frozenset(
        {Capability.CITY_WIDE, Capability.CASES, Capability.STAFF_NAMES, Capability.DATA_QUALITY}
    ),
    Role.QUALITY: frozenset(Capability),
    Role.HALL_MANAGER: frozenset({Capability.CASES, Capability.STAFF_NAMES}),
    Role.VIEWER: frozenset({Capability.CITY_WIDE}),
}


class PolicyError(ValueError):
    """A user's role or halls break the policy (e.g. a hall manager without halls)."""


@dataclass(frozen=True)
class Principal:
    """A signed-in user: who, which role, and for a hall manager which halls."""

    username: str
    display_name: str
    role: Role
    halls: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.role is Role.HALL_MANAGER and not self.halls:
            raise PolicyError(f"hall manager {self.username!r} has no halls assigned")
        if self.role is not Role.HALL_MANAGER and self.halls:
            raise PolicyError(f"only hall managers have halls; {self.username!r} is {self.role}")

    @property
    def pages(self) -> tuple[Page, ...]:
        return ROLE_PAGES[self.role]

    @property
    def home(self) -> Page:
        return self.pages[0]

    def may_open(self, page: str) -> bool:
        return page in self.pages

    def can(self, capability: Capability) -> bool:
        return capability in ROLE_CAPABILITIES[self.role]

    @property
    def hall_scope(self) -> tuple[str, ...] | None:
        """The halls every hall-level row is cut to; None: every hall (and none at all)."""
        return None if self.can(Capability.CITY_WIDE) else self.halls


def role(name: str) -> Role:
    """``name`` as a role, or a PolicyError naming the roles there are."""
    try:
        return Role(name)
    except ValueError:
        raise PolicyError(
            f"unknown role {name!r}; one of {', '.join(r.value for r in Role)}"
        ) from None
