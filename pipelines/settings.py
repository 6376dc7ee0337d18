"""Every path and environment variable Manyi reads, in one place.

Values are read when a function is called, not at import, so tests and the CLI can
point ``MANYI_DATA_DIR`` at a temporary folder before anything touches the disk.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Paths:
    """The folders and files under the data root (see data-contract.md, "Folders")."""

    data_dir: Path

    @property
    def landing(self) -> Path:
        return self.data_dir / "landing"

    @property
    def warehouse_dir(self) -> Path:
        return self.data_dir / "warehouse"

    @property
    def warehouse(self) -> Path:
        return self.warehouse_dir / "manyi.duckdb"

    @property
    def serving(self) -> Path:
        return self.warehouse_dir / "serving.duckdb"

    @property
    def outbox(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def pii_key_file(self) -> Path:
        return self.data_dir / ".pii_key"

    @property
    def access_db(self) -> Path:
        """Dashboard sessions, login attempts and the download audit (never the serving copy,
        which every build replaces and the dashboard opens read-only)."""
        return self.data_dir / "access.sqlite3"

    @property
    def tmp(self) -> Path:
        """Scratch space on the same disk as the warehouse (transcoded files, DuckDB spill)."""
        return self.data_dir / "tmp"


def local_now() -> datetime:
    """Now in Asia/Shanghai, without zone: how the warehouse stores every timestamp."""
    return datetime.now(ZoneInfo(TIMEZONE)).replace(tzinfo=None)


def data_dir() -> Path:
    return Path(os.environ.get("MANYI_DATA_DIR", REPO_ROOT / "data")).resolve()


def paths() -> Paths:
    return Paths(data_dir())


def as_of_override() -> datetime | None:
    """``MANYI_AS_OF`` (local Asia/Shanghai time), or None to use the data watermark."""
    raw = os.environ.get("MANYI_AS_OF", "").strip()
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S")
    except ValueError as exc:
        raise ValueError(f"MANYI_AS_OF must look like 'YYYY-MM-DD HH:MM:SS', got {raw!r}") from exc


def pii_key() -> bytes:
    """The pseudonymisation key: ``MANYI_PII_KEY``, else a key generated once into the data dir."""
    from_env = os.environ.get("MANYI_PII_KEY", "")
    if from_env:
        return from_env.encode("utf-8")
    key_file = paths().pii_key_file
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return key_file.read_text().strip().encode("utf-8")


def dagster_env() -> dict[str, str]:
    """Environment for Dagster processes: the instance config in the repo, state in the data dir."""
    state = paths().data_dir / "dagster"
    return {
        "DAGSTER_HOME": str(REPO_ROOT),
        "MANYI_DAGSTER_STORAGE": str(state / "storage"),
        "MANYI_DAGSTER_LOGS": str(state / "logs"),
        "MANYI_DATA_DIR": str(paths().data_dir),
    }


def apply_dagster_env() -> None:
    """Set ``dagster_env`` in this process, keeping values the caller set already."""
    for name, value in dagster_env().items():
        os.environ.setdefault(name, value)


def bind_address() -> str:
    """Where the dashboard and the Dagster UI listen: loopback unless configured otherwise."""
    return os.environ.get("MANYI_BIND_ADDRESS", "127.0.0.1")


def users_file() -> Path:
    """``MANYI_USERS_FILE``: the dashboard's users (``make user`` writes it; never committed)."""
    from_env = os.environ.get("MANYI_USERS_FILE", "").strip()
    return Path(from_env).resolve() if from_env else data_dir() / "users.toml"


def role_map_file() -> Path:
    """``MANYI_ROLE_MAP``: how single sign-on users get their role (only with ``[auth]`` in
    the dashboard's ``secrets.toml``)."""
    from_env = os.environ.get("MANYI_ROLE_MAP", "").strip()
    return Path(from_env).resolve() if from_env else data_dir() / "roles.toml"


def session_lifetime() -> timedelta:
    """``MANYI_SESSION_HOURS``: how long a dashboard login lasts before it is asked again."""
    hours = float(os.environ.get("MANYI_SESSION_HOURS", "8"))
    if hours <= 0:
        raise ValueError(f"MANYI_SESSION_HOURS must be positive, got {hours}")
    return timedelta(hours=hours)


def cookie_secure() -> bool:
    """``MANYI_COOKIE_SECURE``: send the session cookie over HTTPS only (behind a TLS proxy)."""
    return os.environ.get("MANYI_COOKIE_SECURE", "").strip().lower() in {"1", "true", "yes"}


def quarantine_rate_bound() -> float:
    """Share of a table's rows in one run that may be quarantined before the check fails."""
    return float(os.environ.get("MANYI_MAX_QUARANTINE_RATE", "0.05"))


def duckdb_memory_limit() -> str:
    return os.environ.get("MANYI_DUCKDB_MEMORY", "3GB")


DBT_TARGETS = ("duckdb", "spark")


def dbt_target() -> str:
    """``MANYI_DBT_TARGET``: the engine dbt builds the models on (a profiles.yml target)."""
    target = os.environ.get("MANYI_DBT_TARGET", "duckdb").strip().lower() or "duckdb"
    if target not in DBT_TARGETS:
        raise ValueError(f"MANYI_DBT_TARGET must be one of {DBT_TARGETS}, got {target!r}")
    return target


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server for report e-mails (``MANYI_SMTP_*``)."""

    host: str
    port: int
    security: str  # starttls | ssl | none
    user: str
    # Kept out of repr so that a logged settings object never shows it.
    password: str = field(repr=False)


SMTP_SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def smtp() -> SmtpSettings | None:
    """The SMTP server, or None when ``MANYI_SMTP_HOST`` is unset: mails go to the outbox."""
    host = os.environ.get("MANYI_SMTP_HOST", "").strip()
    if not host:
        return None
    security = os.environ.get("MANYI_SMTP_SECURITY", "starttls").strip().lower()
    if security not in SMTP_SECURITY_PORTS:
        raise ValueError(
            f"MANYI_SMTP_SECURITY must be one of {sorted(SMTP_SECURITY_PORTS)}, got {security!r}"
        )
    port = os.environ.get("MANYI_SMTP_PORT", "").strip()
    return SmtpSettings(
        host=host,
        port=int(port) if port else SMTP_SECURITY_PORTS[security],
        security=security,
        user=os.environ.get("MANYI_SMTP_USER", ""),
        password=os.environ.get("MANYI_SMTP_PASSWORD", ""),
    )
