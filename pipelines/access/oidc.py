"""Roles of single sign-on users: from a claim of their identity token, or a mapping file.

With an ``[auth]`` section in the dashboard's ``secrets.toml`` the dashboard signs users in
through Streamlit's ``st.login`` (OpenID Connect): the identity provider says who someone is,
this module says what they may see. The mapping file is ``settings.role_map_file()``::

    # The claim holding a user's Manyi role, if the identity provider sends one.
    role_claim = "manyi_role"
    # The claim holding a hall manager's halls: a list, or hall ids separated by commas.
    halls_claim = "manyi_halls"

    # Users listed by e-mail address win over the claims.
    [users."li.lei@example.com"]
    role = "hall_manager"
    halls = ["YT001"]

A role claim may be a string or a list (e.g. the user's groups): a list must hold exactly
one Manyi role, anything else in it is ignored. A user with no listed entry and no valid
role claim is signed in but gets no role, so sees nothing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.access.policy import PolicyError, Principal, Role, role


@dataclass(frozen=True)
class RoleMap:
    role_claim: str | None = None
    halls_claim: str | None = None
    # e-mail address (lower case) → role and halls
    users: dict[str, tuple[Role, tuple[str, ...]]] = field(default_factory=dict)


def load_map(path: Path) -> RoleMap:
    """The mapping file; an empty map (nobody gets a role) when there is none."""
    if not path.exists():
        return RoleMap()
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(raw) - {"role_claim", "halls_claim", "users"}
    if unknown:
        raise PolicyError(f"{path}: unknown key(s) {sorted(unknown)}")
    return RoleMap(
        role_claim=raw.get("role_claim"),
        halls_claim=raw.get("halls_claim"),
        users={
            address.lower(): (role(entry["role"]), tuple(entry.get("halls", ())))
            for address, entry in raw.get("users", {}).items()
        },
    )


def _claimed_role(value: object) -> Role | None:
    names = [value] if isinstance(value, str) else list(value or ())
    known = {name for name in names if name in {r.value for r in Role}}
    return Role(known.pop()) if len(known) == 1 else None


def _claimed_halls(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(h.strip() for h in value.split(",") if h.strip())
    return tuple(str(h) for h in value or ())


def principal_from_claims(claims: Mapping[str, object], role_map: RoleMap) -> Principal | None:
    """The principal of a signed-in user's claims (``st.user``); None when they have no role."""
    # An address the provider has not verified cannot pick an entry of the mapping file.
    email = claims.get("email") if claims.get("email_verified") is not False else None
    username = str(email or claims.get("sub") or "").lower()
    if not username:
        return None
    display_name = str(claims.get("name") or username)
    if username in role_map.users:
        found_role, halls = role_map.users[username]
    elif role_map.role_claim and (found_role := _claimed_role(claims.get(role_map.role_claim))):
        halls = ()
        if found_role is Role.HALL_MANAGER and role_map.halls_claim:
            halls = _claimed_halls(claims.get(role_map.halls_claim))
    else:
        return None
    try:
        return Principal(username, display_name, found_role, halls)
    except PolicyError:
        return None  # e.g. a hall manager whose halls the provider did not send
