"""Single sign-on roles: from a claim of the identity token or the mapping file. (The
sign-in itself goes to an identity provider, which these machines cannot reach.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.access.oidc import RoleMap, load_map, principal_from_claims
from pipelines.access.policy import PolicyError, Role

MAP = RoleMap(
    role_claim="manyi_role",
    halls_claim="manyi_halls",
    users={"li.lei@example.com": (Role.HALL_MANAGER, ("YT001",))},
)


def test_a_listed_user_wins_over_the_claim() -> None:
    principal = principal_from_claims(
        {"email": "Li.Lei@example.com", "name": "李雷", "manyi_role": "executive"}, MAP
    )
    assert principal is not None
    assert (principal.username, principal.display_name, principal.role, principal.halls) == (
        "li.lei@example.com",
        "李雷",
        Role.HALL_MANAGER,
        ("YT001",),
    )


@pytest.mark.parametrize(
    ("claims", "role", "halls"),
    [
        ({"manyi_role": "viewer"}, Role.VIEWER, ()),
        ({"manyi_role": ["staff", "quality", "vpn"]}, Role.QUALITY, ()),
        (
            {"manyi_role": "hall_manager", "manyi_halls": "YT002, YT003"},
            Role.HALL_MANAGER,
            ("YT002", "YT003"),
        ),
        ({"manyi_role": "hall_manager", "manyi_halls": ["YT004"]}, Role.HALL_MANAGER, ("YT004",)),
    ],
)
def test_the_role_claim(claims: dict, role: Role, halls: tuple) -> None:
    principal = principal_from_claims({"email": "a@example.com", **claims}, MAP)
    assert principal is not None and (principal.role, principal.halls) == (role, halls)


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "a@example.com"},  # no role at all
        {"email": "a@example.com", "manyi_role": "admin"},  # not a Manyi role
        {"email": "a@example.com", "manyi_role": ["viewer", "executive"]},  # ambiguous
        {"email": "a@example.com", "manyi_role": "hall_manager"},  # a hall manager without halls
        {"name": "no identity"},
        # An unverified address cannot borrow a listed user's entry.
        {"email": "li.lei@example.com", "email_verified": False, "sub": "x1"},
    ],
)
def test_no_role_means_no_principal(claims: dict) -> None:
    assert principal_from_claims(claims, MAP) is None


def test_without_a_claim_setting_only_listed_users_get_in() -> None:
    only_listed = RoleMap(users=MAP.users)
    assert (
        principal_from_claims({"email": "a@example.com", "manyi_role": "viewer"}, only_listed)
        is None
    )


def test_the_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "roles.toml"
    assert load_map(path) == RoleMap()
    path.write_text(
        'role_claim = "groups"\n[users."Boss@Example.com"]\nrole = "executive"\n',
        encoding="utf-8",
    )
    assert load_map(path) == RoleMap(
        role_claim="groups", users={"boss@example.com": (Role.EXECUTIVE, ())}
    )
    path.write_text('claim = "groups"\n', encoding="utf-8")
    with pytest.raises(PolicyError, match="unknown key"):
        load_map(path)
