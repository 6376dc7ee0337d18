"""``make run``: demo data if the landing folder is empty, one build, then the Dagster UI
(127.0.0.1:3000) and the dashboard (127.0.0.1:8501) until Ctrl-C.

On a machine without dashboard users it creates the first one, ``admin``, and prints its
random password once: the dashboard shows nothing to anyone who has not signed in.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

from pipelines import console, settings
from pipelines.access import users
from pipelines.build import main as build

log = logging.getLogger("manyi.serve")

DAGSTER_PORT = 3000
DASHBOARD_PORT = 8501


def _landing_is_empty() -> bool:
    landing = settings.paths().landing
    return not landing.exists() or not any(p.is_file() for p in landing.rglob("*"))


def _commands() -> list[list[str]]:
    bin_dir = os.path.dirname(sys.executable)
    return [
        [
            os.path.join(bin_dir, "dagster"),
            "dev",
            "-w",
            str(settings.REPO_ROOT / "workspace.yaml"),
            "-h",
            settings.bind_address(),
            "-p",
            str(DAGSTER_PORT),
        ],
        [
            # As a module from the repo root, so the app can import `pipelines`.
            sys.executable,
            "-m",
            "streamlit",
            "run",
            # The launcher that adds the session-cookie routes to the app.
            str(settings.REPO_ROOT / "dashboards" / "server.py"),
            "--server.address",
            settings.bind_address(),
            "--server.port",
            str(DASHBOARD_PORT),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
    ]


def _show_first_user(password: str) -> None:
    # Printed, never logged: this terminal is the only place the password ever appears.
    print(
        f"\nFirst dashboard user created in {settings.users_file()}:\n"
        f"    username: {users.FIRST_USER}\n    password: {password}\n"
        "It is shown this once. Add users with `make user NAME=… ROLE=…` (README).\n",
        flush=True,
    )


def main() -> int:
    settings.apply_dagster_env()
    first_password = users.create_first_user(settings.users_file())
    if _landing_is_empty():
        log.info("landing folder is empty: generating demo data")
        subprocess.run([sys.executable, "-m", "pipelines.synthetic", "--scale", "demo"], check=True)
    if build() != 0:
        log.error("the first build failed; the UIs start anyway so you can look at why")
    procs = [subprocess.Popen(cmd, cwd=settings.REPO_ROOT) for cmd in _commands()]
    host = settings.bind_address()
    log.info(
        "Dagster UI: http://%s:%d   dashboard: http://%s:%d   (Ctrl-C stops both)",
        host,
        DAGSTER_PORT,
        host,
        DASHBOARD_PORT,
    )
    if first_password is not None:
        # After the build's output, so that it is not scrolled away unseen.
        _show_first_user(first_password)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


if __name__ == "__main__":
    console.configure()
    sys.exit(main())
