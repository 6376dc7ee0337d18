"""Dashboard users and the download audit from the command line (``make user`` calls it).

    python -m pipelines.access user li_lei --role hall_manager --halls YT001,YT002 \\
        [--display-name 李雷] [--password-stdin] [--keep-password]
    python -m pipelines.access users                 # who may sign in, with roles and halls
    python -m pipelines.access remove-user li_lei
    python -m pipelines.access downloads [--limit 50]

Passwords are asked for twice (not echoed), or read as one line from standard input with
``--password-stdin`` for scripts; never taken as an argument, which would leave them in the
shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from pipelines import settings
from pipelines.access import store, users
from pipelines.access.policy import Role


def _ask_password() -> str:
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("the two passwords differ; nothing changed")
    return first


def _set_user(args: argparse.Namespace) -> int:
    if args.keep_password:
        password = None
    elif args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = _ask_password()
    if password is not None and (problem := users.password_problem(password)):
        raise SystemExit(problem)
    halls = tuple(h.strip() for h in (args.halls or "").split(",") if h.strip())
    try:
        user = users.set_user(
            settings.users_file(),
            args.username,
            args.role,
            halls=halls,
            display_name=args.display_name,
            password=password,
        )
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    scope = f" halls {', '.join(user.halls)}" if user.halls else ""
    print(f"{user.username} ({user.display_name}): {user.role}{scope} → {settings.users_file()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.access", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    user = commands.add_parser("user", help="create or update a dashboard user")
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--halls", help="a hall manager's hall ids, separated by commas")
    user.add_argument("--display-name", help="the name the dashboard shows (default: username)")
    how = user.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    how.add_argument("--keep-password", action="store_true", help="change an existing user's role")
    commands.add_parser("users", help="list the users (no password hashes)")
    remove = commands.add_parser("remove-user", help="remove a user (their sessions end)")
    remove.add_argument("username")
    downloads = commands.add_parser("downloads", help="the newest entries of the download audit")
    downloads.add_argument("--limit", type=int, default=50)
    args = parser.parse_args(argv)

    if args.command == "user":
        return _set_user(args)
    if args.command == "users":
        for found in users.load(settings.users_file()).values():
            halls = ",".join(found.halls) or "-"
            print(f"{found.username}\t{found.role}\t{halls}\t{found.display_name}")
        return 0
    if args.command == "remove-user":
        if not users.remove_user(settings.users_file(), args.username):
            raise SystemExit(f"no user {args.username!r}")
        print(f"removed {args.username}")
        return 0
    for entry in store.downloads(args.limit):
        print(json.dumps(entry, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
