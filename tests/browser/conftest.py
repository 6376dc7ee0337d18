"""The real dashboard, served by `streamlit run dashboards/server.py` (as `make run` does)
against the hand-made serving copy, with the test users (tests/dashboards/users_fixture.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from pipelines.access import store  # noqa: E402
from tests.dashboards.serving_fixture import build_serving_copy  # noqa: E402
from tests.dashboards.users_fixture import write_users_file  # noqa: E402

# Screenshots and the server log of the last run; git-ignored.
_ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
_CHROMIUM = "/usr/bin/chromium"
_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(
        f"streamlit did not start in {STARTUP_TIMEOUT_SECONDS} s:\n{log.read_text()}"
    )


@pytest.fixture(scope="session")
def artifacts() -> Path:
    _ARTIFACTS.mkdir(exist_ok=True)
    return _ARTIFACTS


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_CHROMIUM, args=_CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class Server:
    url: str
    data_dir: Path  # the server's MANYI_DATA_DIR: its serving copy, sessions and audit

    def session_token(self, username: str, *, started: float | None = None) -> str:
        """A session in the server's own store, as its sign-in makes one (``started`` in the
        past makes one that has expired)."""
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("MANYI_DATA_DIR", str(self.data_dir))
            return store.start_session(username, now=started).token

    def sign_in(self, context: BrowserContext, username: str) -> None:
        """Give the browser the session cookie the sign-in route would have set."""
        token = self.session_token(username)
        context.add_cookies([{"name": "manyi_session", "value": token, "url": self.url}])


@pytest.fixture
def anonymous_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    yield context
    context.close()


@pytest.fixture
def page(server: Server, anonymous_context: BrowserContext) -> Page:
    """A browser signed in as the quality role, which may open every page and section (the
    sign-in form itself is tested in test_browser_access.py)."""
    server.sign_in(anonymous_context, "qa")
    return anonymous_context.new_page()


@pytest.fixture(scope="module")
def serving_builder() -> Callable[[Path], Path]:
    """What ``server`` publishes; a test module overrides this to serve its own fixture."""
    return build_serving_copy


@pytest.fixture(scope="module")
def app_url(server: Server) -> str:
    return server.url


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
    artifacts: Path,
    serving_builder: Callable[[Path], Path],
) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("manyi_data")
    serving_builder(data_dir)
    users_file = write_users_file(data_dir / "users.toml")
    log = artifacts / "streamlit.log"
    port = _free_port()
    env = {**os.environ, "MANYI_DATA_DIR": str(data_dir), "MANYI_USERS_FILE": str(users_file)}
    # `python -m` puts the working directory (the repo root) on sys.path for `pipelines`.
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboards/server.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield Server(url, data_dir)
    finally:
        process.terminate()
        process.wait(timeout=20)
