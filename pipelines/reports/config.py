"""The reports configuration (``reports.toml`` at the repo root), read and checked once.

Everything about who gets which mail and when lives in that one file; this module turns it
into frozen objects and fails loudly on a typo (an unknown key, a role nobody defined, an
address without ``@``) rather than silently mailing nobody.

Hall managers see their own halls only (``pipelines.access.policy``): an address listed under
``[hall_scopes]`` gets the monthly evaluation of those halls, and nothing city-wide, so
it may be named by no other report, alert or failure notice.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from pipelines import settings

CONFIG_FILE = settings.REPO_ROOT / "reports.toml"
LANGUAGES = ("zh", "en")
REPORTS = ("daily", "weekly", "monthly")


class ConfigError(ValueError):
    """``reports.toml`` is not what this code expects."""


@dataclass(frozen=True)
class ReportSpec:
    name: str
    cron: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class AlertSpec:
    hours_before_breach: float
    max_hours_late: float
    margin_by_unit: dict[str, float]
    margin_by_kpi: dict[str, float]
    owners: dict[str, tuple[str, ...]]

    def margin(self, kpi_id: str, unit: str) -> float:
        return self.margin_by_kpi.get(kpi_id, self.margin_by_unit.get(unit, 0.0))


# The only report that can be cut to a recipient's halls.
HALL_SCOPED_REPORTS = ("monthly",)


@dataclass(frozen=True)
class Audience:
    """Recipients who get the same mail: every hall (``halls`` None), or only these halls."""

    recipients: tuple[str, ...]
    halls: tuple[str, ...] | None = None


def _mailbox(address: str) -> str:
    return parseaddr(address)[1].lower()


@dataclass(frozen=True)
class ReportsConfig:
    sender: str
    language: str
    subject_prefix: str
    roles: dict[str, tuple[str, ...]]
    reports: dict[str, ReportSpec]
    top_rows: int
    trend_weeks: int
    alerts: AlertSpec
    failure_roles: tuple[str, ...]
    # mailbox (lower case) → the halls its mails are cut to
    hall_scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def recipients(self, roles: tuple[str, ...]) -> tuple[str, ...]:
        """The addresses of ``roles``, each once, sorted (so a recipient set has one spelling)."""
        return tuple(sorted({address for role in roles for address in self.roles[role]}))

    def audiences(self, report: str) -> list[Audience]:
        """Who gets report ``report``, grouped by the halls their mail holds: everyone with
        a hall scope gets their halls only; the rest one mail with every hall."""
        recipients = self.recipients(self.reports[report].roles)
        by_halls: dict[tuple[str, ...] | None, list[str]] = {}
        for address in recipients:
            by_halls.setdefault(self.hall_scopes.get(_mailbox(address)), []).append(address)
        return [
            Audience(tuple(addresses), halls)
            for halls, addresses in sorted(by_halls.items(), key=lambda item: item[0] or ())
        ]

    @property
    def sender_domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2]


def load(path: Path = CONFIG_FILE) -> ReportsConfig:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    _only(raw, {"mail", "roles", "reports", "alerts", "failures", "hall_scopes"}, "top level")
    mail = raw.get("mail", {})
    _only(mail, {"sender", "language", "subject_prefix"}, "[mail]")
    language = mail.get("language", "zh")
    if language not in LANGUAGES:
        raise ConfigError(f"[mail] language must be one of {LANGUAGES}, got {language!r}")
    sender = _address(mail.get("sender", ""), "[mail] sender")

    roles = {
        name: tuple(_address(a, f"[roles] {name}") for a in addresses)
        for name, addresses in raw.get("roles", {}).items()
    }
    reports_raw = raw.get("reports", {})
    _only(reports_raw, set(REPORTS), "[reports]")
    reports: dict[str, ReportSpec] = {}
    for name in REPORTS:
        section = reports_raw.get(name)
        if section is None:
            raise ConfigError(f"[reports.{name}] is missing")
        extra = {"daily": {"top_rows"}, "weekly": {"trend_weeks"}, "monthly": set()}[name]
        _only(section, {"cron", "roles"} | extra, f"[reports.{name}]")
        reports[name] = ReportSpec(
            name=name,
            cron=str(section["cron"]),
            roles=_roles(section.get("roles", []), roles, f"[reports.{name}]"),
        )

    alerts_raw = raw.get("alerts", {})
    _only(
        alerts_raw,
        {"hours_before_breach", "max_hours_late", "margin_by_unit", "margin_by_kpi", "owners"},
        "[alerts]",
    )
    alerts = AlertSpec(
        hours_before_breach=float(alerts_raw.get("hours_before_breach", 24)),
        max_hours_late=float(alerts_raw.get("max_hours_late", 72)),
        margin_by_unit={k: float(v) for k, v in alerts_raw.get("margin_by_unit", {}).items()},
        margin_by_kpi={k: float(v) for k, v in alerts_raw.get("margin_by_kpi", {}).items()},
        owners={
            domain: _roles(names, roles, f"[alerts.owners] {domain}")
            for domain, names in alerts_raw.get("owners", {}).items()
        },
    )
    failures = raw.get("failures", {})
    _only(failures, {"roles"}, "[failures]")
    failure_roles = _roles(failures.get("roles", []), roles, "[failures]")
    hall_scopes = _hall_scopes(raw.get("hall_scopes", {}), roles)
    _check_scoped_addresses(hall_scopes, roles, reports, alerts, failure_roles)
    return ReportsConfig(
        sender=sender,
        language=language,
        subject_prefix=str(mail.get("subject_prefix", "")),
        roles=roles,
        reports=reports,
        top_rows=int(reports_raw["daily"].get("top_rows", 10)),
        trend_weeks=int(reports_raw["weekly"].get("trend_weeks", 8)),
        alerts=alerts,
        failure_roles=failure_roles,
        hall_scopes=hall_scopes,
    )


def _hall_scopes(
    raw: dict[str, Any], roles: dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    known = {_mailbox(address) for addresses in roles.values() for address in addresses}
    scopes = {}
    for address, halls in raw.items():
        mailbox = _mailbox(_address(address, "[hall_scopes]"))
        if mailbox not in known:
            raise ConfigError(f"[hall_scopes] {address!r} is in no role, so it gets nothing")
        if not halls or not all(isinstance(h, str) and h for h in halls):
            raise ConfigError(f"[hall_scopes] {address!r}: a list of hall ids, not {halls!r}")
        scopes[mailbox] = tuple(sorted(set(halls)))
    return scopes


def _check_scoped_addresses(
    hall_scopes: dict[str, tuple[str, ...]],
    roles: dict[str, tuple[str, ...]],
    reports: dict[str, ReportSpec],
    alerts: AlertSpec,
    failure_roles: tuple[str, ...],
) -> None:
    """A hall-scoped address may only get mails that can be cut to its halls."""
    uses = [(f"[reports.{n}]", s.roles) for n, s in reports.items() if n not in HALL_SCOPED_REPORTS]
    uses += [(f"[alerts.owners] {d}", r) for d, r in alerts.owners.items()]
    uses.append(("[failures]", failure_roles))
    for where, names in uses:
        for role in names:
            scoped = [a for a in roles[role] if _mailbox(a) in hall_scopes]
            if scoped:
                raise ConfigError(
                    f"{where}: role {role!r} has hall-scoped address(es) {scoped}; they may "
                    f"only get {', '.join(HALL_SCOPED_REPORTS)} (city-wide figures are not theirs)"
                )


def _only(section: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(section) - allowed
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}")


def _address(text: str, where: str) -> str:
    if "@" not in parseaddr(text)[1]:
        raise ConfigError(f"{where}: {text!r} is not an e-mail address")
    return text


def _roles(names: list[str], roles: dict[str, tuple[str, ...]], where: str) -> tuple[str, ...]:
    if not names:
        raise ConfigError(f"{where}: names no role, so nobody would get it")
    undefined = [n for n in names if n not in roles]
    if undefined:
        raise ConfigError(f"{where}: role(s) {undefined} are not defined under [roles]")
    return tuple(names)
