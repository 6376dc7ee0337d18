"""A report from end to end: its data, its rendering, its recipients; sent or previewed."""

from __future__ import annotations

import base64
import html
from datetime import date
from pathlib import Path

from pipelines import settings
from pipelines.reports import content, render
from pipelines.reports.config import REPORTS, ReportsConfig
from pipelines.reports.delivery import (
    MailDelivery,
    Outcome,
    build_message,
    eml_bytes,
    report_key,
    safe_stem,
)
from pipelines.reports.document import to_html


def rendered(name: str, report_date: date, config: ReportsConfig) -> render.Rendered:
    if name == "daily":
        return render.daily(content.daily(report_date), config)
    if name == "weekly":
        return render.weekly(content.weekly(report_date, config.trend_weeks), config)
    if name == "monthly":
        return render.monthly(content.monthly(report_date), config)
    raise ValueError(f"unknown report {name!r}; one of {REPORTS}")


def send(name: str, report_date: date, config: ReportsConfig, mail: MailDelivery) -> Outcome:
    """Send report ``name`` dated ``report_date`` to its roles, once per period and recipients."""
    report = rendered(name, report_date, config)
    recipients = config.recipients(config.reports[name].roles)
    msg = build_message(
        report, sender=config.sender, recipients=recipients, domain=config.sender_domain
    )
    return mail.send(
        msg,
        keys=[report_key(name, report.period, recipients)],
        stem=f"{name}_{report.period}",
    )


def preview_dir() -> Path:
    return settings.paths().outbox / "preview"


def preview(name: str, report_date: date, config: ReportsConfig) -> tuple[Path, Path]:
    """Write the report's .eml and a browser-viewable .html (images inline) without sending."""
    report = rendered(name, report_date, config)
    recipients = config.recipients(config.reports[name].roles)
    msg = build_message(
        report, sender=config.sender, recipients=recipients, domain=config.sender_domain
    )
    folder = preview_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_stem(f"{name}_{report.period}")
    eml = folder / f"{stem}.eml"
    eml.write_bytes(eml_bytes(msg))
    page = to_html(report.document)
    # A browser cannot resolve cid: links outside a mail, so the preview embeds the images.
    for image in report.document.images:
        data = base64.b64encode(image.png).decode("ascii")
        cid = f'src="cid:{html.escape(image.cid)}"'
        page = page.replace(cid, f'src="data:image/png;base64,{data}"')
    page_path = folder / f"{stem}.html"
    page_path.write_text(page, encoding="utf-8")
    return eml, page_path
