"""Sending: the MIME message, the record of what went out, SMTP or the outbox, retries.

- Built with ``email.message.EmailMessage``: UTF-8, a plain-text alternative, charts as
  inline images (``cid:``), attachments. Bodies are base64 so Chinese text survives any
  relay, with or without 8BITMIME (Dagster's built-in mailer breaks on it).
- Idempotent: every mail carries keys (a report and period for this recipient set, or the
  alert breaches it announces). A mail whose keys are all recorded in the sent log is not
  sent again, so a retried run does not mail twice. The log is a small SQLite file in the
  outbox folder, not in the warehouse (the pipeline owns that file and replaces the
  serving copy wholesale).
- With no ``MANYI_SMTP_HOST`` the mail is written to ``$MANYI_DATA_DIR/outbox/`` as .eml.
- A failure to send is retried with exponential backoff, then raised: the run fails.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import sqlite3
import ssl
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines import settings
from pipelines.reports.document import to_html, to_text
from pipelines.reports.render import Rendered

# Short enough that a sensor mailing the operators finishes its tick while retrying.
SMTP_TIMEOUT_SECONDS = 30


class DeliveryFailed(RuntimeError):
    """The mail could not be handed to the SMTP server (after every retry)."""


def sent_log_path() -> Path:
    return settings.paths().outbox / ".sent.sqlite3"


def report_key(
    report: str, period: str, recipients: Sequence[str], halls: Sequence[str] | None = None
) -> str:
    """The identity of one report mail: a changed recipient set, or a changed hall scope, is
    a different mail."""
    lines = sorted(recipients) + ([f"halls:{','.join(sorted(halls))}"] if halls else [])
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    return f"{report}|{period}|{digest}"


def build_message(
    rendered: Rendered, *, sender: str, recipients: Sequence[str], domain: str
) -> EmailMessage:
    doc = rendered.document
    msg = EmailMessage()
    msg["Subject"] = rendered.subject
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(datetime.now(ZoneInfo(settings.TIMEZONE)))
    # Short enough not to be folded (some clients mishandle a folded Message-ID); what the
    # mail is about is in X-Manyi-Report.
    msg["Message-ID"] = make_msgid(domain=domain)
    # RFC 3834: keeps out-of-office replies from answering a robot.
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Manyi-Report"] = f"{rendered.report}; period={rendered.period}"
    msg.set_content(to_text(doc), charset="utf-8", cte="base64")
    msg.add_alternative(to_html(doc), subtype="html", charset="utf-8", cte="base64")
    html_part = msg.get_payload()[1]
    for image in doc.images:
        html_part.add_related(image.png, "image", "png", cid=f"<{image.cid}>")
    for attachment in rendered.attachments:
        msg.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    return msg


def eml_bytes(msg: EmailMessage) -> bytes:
    return msg.as_bytes(policy=policy.SMTP)


@dataclass(frozen=True)
class Outcome:
    message_id: str
    # False when the mail had been sent before and was skipped.
    delivered: bool
    destination: str


class SentLog:
    """What has been sent: key → Message-ID, in SQLite (safe for concurrent runs)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        with self._connection() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS sent (key TEXT PRIMARY KEY, message_id TEXT NOT NULL,"
                " subject TEXT NOT NULL, recipients TEXT NOT NULL, destination TEXT NOT NULL,"
                " sent_at TEXT NOT NULL)"
            )

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed on success, and the file closed either way."""
        con = sqlite3.connect(self._path, timeout=30)
        try:
            with con:
                yield con
        finally:
            con.close()

    def sent_keys(self, keys: Sequence[str]) -> dict[str, str]:
        """Those of ``keys`` already sent, each with the Message-ID that carried it."""
        if not keys:
            return {}
        with self._connection() as con:
            marks = ",".join("?" * len(keys))
            found = con.execute(f"SELECT key, message_id FROM sent WHERE key IN ({marks})", keys)
            return dict(found.fetchall())

    def record(self, keys: Sequence[str], msg: EmailMessage, destination: str) -> None:
        now = settings.local_now().isoformat(timespec="seconds")
        subject, to = str(msg["Subject"]), str(msg["To"])
        with self._connection() as con:
            con.executemany(
                "INSERT OR REPLACE INTO sent VALUES (?, ?, ?, ?, ?, ?)",
                [(k, msg["Message-ID"], subject, to, destination, now) for k in keys],
            )


def _send_smtp(msg: EmailMessage, server: settings.SmtpSettings) -> dict:
    if server.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            server.host,
            server.port,
            timeout=SMTP_TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS)
    with client:
        if server.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if server.user:
            client.login(server.user, server.password)
        return client.send_message(msg)


def _write_outbox(msg: EmailMessage, stem: str) -> Path:
    outbox = settings.paths().outbox
    outbox.mkdir(parents=True, exist_ok=True)
    # The Message-ID's hash keeps two mails of the same second and stem apart.
    unique = hashlib.sha256(msg["Message-ID"].encode()).hexdigest()[:8]
    path = outbox / f"{settings.local_now():%Y%m%d-%H%M%S}_{safe_stem(stem)}_{unique}.eml"
    tmp = path.with_suffix(".eml.tmp")
    tmp.write_bytes(eml_bytes(msg))
    # Whoever watches the outbox sees whole files only.
    os.replace(tmp, path)
    return path


def safe_stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "mail"


def deliver(
    msg: EmailMessage,
    *,
    keys: Sequence[str],
    stem: str,
    attempts: int,
    backoff_seconds: float,
    log: logging.Logger,
) -> Outcome:
    """Send ``msg`` once per ``keys``: skipped if already sent, retried, then raised."""
    sent = SentLog(sent_log_path())
    already = sent.sent_keys(keys)
    if keys and set(already) == set(keys):
        previous = already[keys[0]]
        log.info("already sent as %s: %s", previous, msg["Subject"])
        return Outcome(previous, delivered=False, destination="")
    server = settings.smtp()
    if server is None:
        path = _write_outbox(msg, stem)
        sent.record(keys, msg, str(path))
        log.info("no SMTP server configured: wrote %s", path)
        return Outcome(msg["Message-ID"], delivered=True, destination=str(path))
    destination = f"smtp://{server.host}:{server.port}"
    for attempt in range(1, attempts + 1):
        try:
            refused = _send_smtp(msg, server)
            break
        except (smtplib.SMTPException, OSError) as exc:
            if attempt == attempts:
                raise DeliveryFailed(
                    f"could not send {msg['Subject']!s} via {destination} after {attempts} "
                    f"attempts: {exc}"
                ) from exc
            delay = backoff_seconds * 2 ** (attempt - 1)
            log.warning("attempt %d to send failed (%s); retrying in %.0f s", attempt, exc, delay)
            time.sleep(delay)
    # Recorded before complaining about refused addresses: the others got it, and a retry
    # must not mail them twice.
    sent.record(keys, msg, destination)
    if refused:
        raise DeliveryFailed(f"the server refused recipients of {msg['Message-ID']}: {refused}")
    log.info("sent %s to %s via %s", msg["Message-ID"], msg["To"], destination)
    return Outcome(msg["Message-ID"], delivered=True, destination=destination)


class MailDelivery(dg.ConfigurableResource):
    """Sends report mails through ``MANYI_SMTP_*`` (or into the outbox), once per key."""

    attempts: int = 4
    backoff_seconds: float = 5.0

    def send(self, msg: EmailMessage, *, keys: Sequence[str], stem: str) -> Outcome:
        return deliver(
            msg,
            keys=keys,
            stem=stem,
            attempts=self.attempts,
            backoff_seconds=self.backoff_seconds,
            log=dg.get_dagster_logger("manyi.reports"),
        )
