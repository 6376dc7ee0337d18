"""The access policy: which role opens which page and may read what."""

from __future__ import annotations

import pytest

from pipelines.access.policy import (
    ROLE_PAGES,
    Capability,
    Page,
    PolicyError,
    Principal,
    Role,
    role,
)


def test_pages_per_role() -> None:
    assert ROLE_PAGES[Role.EXECUTIVE] == ROLE_PAGES[Role.QUALITY] == tuple(Page)
    assert set(ROLE_PAGES[Role.HALL_MANAGER]) == {Page.STAFF, Page.COMPLAINTS}
    assert Page.DATA_QUALITY not in ROLE_PAGES[Role.VIEWER]
    assert Page.OVERVIEW in ROLE_PAGES[Role.VIEWER]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (Role.EXECUTIVE, {"city_wide", "cases", "staff_names", "data_quality"}),
        (Role.QUALITY, {"city_wide", "cases", "staff_names", "replies", "data_quality"}),
        (Role.HALL_MANAGER, {"cases", "staff_names"}),
        (Role.VIEWER, {"city_wide"}),
    ],
)
def test_capabilities_per_role(who: Role, expected: set[str]) -> None:
    halls = ("H1",) if who is Role.HALL_MANAGER else ()
    principal = Principal("u", "U", who, halls)
    assert {c.value for c in Capability if principal.can(c)} == expected


def test_a_hall_manager_is_scoped_to_their_halls_and_starts_on_staff() -> None:
    manager = Principal("li", "李", Role.HALL_MANAGER, ("H1", "H2"))
    assert manager.hall_scope == ("H1", "H2")
    assert manager.home is Page.STAFF
    assert manager.may_open("complaints") and not manager.may_open("overview")
    assert Principal("v", "V", Role.VIEWER).hall_scope is None


def test_halls_belong_to_hall_managers_only() -> None:
    with pytest.raises(PolicyError, match="no halls"):
        Principal("li", "李", Role.HALL_MANAGER)
    with pytest.raises(PolicyError, match="only hall managers"):
        Principal("v", "V", Role.VIEWER, ("H1",))


def test_unknown_role_names_the_roles() -> None:
    with pytest.raises(PolicyError, match="executive, quality, hall_manager, viewer"):
        role("admin")
