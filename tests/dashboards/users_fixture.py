"""Dashboard users for the tests: one per role, written as ``make user`` writes them.

Passwords are hashed with bcrypt's fewest rounds (4) so that a sign-in costs milliseconds;
``make user`` uses bcrypt's default (12). The hall manager is responsible for hall ``H1``:
in the staff fixture 胜利路营业厅 (staff S1, S2), in the KPI fixture the hall of complaint C2.
"""

from __future__ import annotations

from pathlib import Path

import bcrypt

from pipelines.access import users
from pipelines.access.policy import Role

# username → (role, halls, display name)
USERS = {
    "gao": (Role.EXECUTIVE, (), "高总"),
    "qa": (Role.QUALITY, (), "质检组"),
    "li": (Role.HALL_MANAGER, ("H1",), "李经理"),
    "view": (Role.VIEWER, (), "访客"),
}
BY_ROLE = {role: name for name, (role, _, _) in USERS.items()}


def password(username: str) -> str:
    return f"{username}-secret-2026"


def write_users_file(path: Path) -> Path:
    users.save(
        path,
        {
            name: users.User(
                username=name,
                display_name=display,
                role=role,
                halls=halls,
                password_hash=bcrypt.hashpw(password(name).encode(), bcrypt.gensalt(4)).decode(
                    "ascii"
                ),
            )
            for name, (role, halls, display) in USERS.items()
        },
    )
    return path
