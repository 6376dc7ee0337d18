"""Reports from the command line, without Dagster.

    python -m pipelines.reports preview daily [--date YYYY-MM-DD]   # .eml + .html, not sent
    python -m pipelines.reports send weekly [--date YYYY-MM-DD]     # send now (once per period)
    python -m pipelines.reports alerts                              # mail new alerts now

``--date`` is the date the report is sent on (the daily briefing covers the day before);
without it, the day after the serving copy's as_of, at most today.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date

from pipelines import console, settings
from pipelines.reports import alerts, compose, config, content
from pipelines.reports.delivery import MailDelivery


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.reports", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for command, help_text in (
        ("preview", "write the .eml and an HTML preview into $MANYI_DATA_DIR/outbox/preview/"),
        ("send", "send the report now (skipped if this period went to these recipients)"),
    ):
        sub = commands.add_parser(command, help=help_text)
        sub.add_argument("report", choices=config.REPORTS)
        sub.add_argument("--date", type=date.fromisoformat, help="report date, YYYY-MM-DD")
    commands.add_parser("alerts", help="mail the alerts not sent yet")
    args = parser.parse_args(argv)

    reports_config = config.load()
    if args.command == "alerts":
        for outcome in alerts.run(reports_config, MailDelivery()):
            print(f"sent {outcome.message_id} → {outcome.destination}")
        return 0
    report_date = args.date or content.default_report_date(settings.local_now().date())
    if args.command == "preview":
        for eml, page in compose.preview(args.report, report_date, reports_config):
            print(f"{eml}\n{page}")
        return 0
    for outcome in compose.send(args.report, report_date, reports_config, MailDelivery()):
        state = "sent" if outcome.delivered else "already sent"
        print(f"{state}: {outcome.message_id} {outcome.destination}")
    return 0


if __name__ == "__main__":
    # Third-party INFO logs (kaleido's browser) would drown the paths this prints.
    console.configure(logging.WARNING)
    sys.exit(main())
