"""One generator run: reference snapshots, then day by day, closing each month with its bill."""

from __future__ import annotations

import resource
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from pipelines.synthetic import complaints, hotline, ratings, reference
from pipelines.synthetic.billing_daily import (
    DisputeDesk,
    disputes_batch,
    payments_batch,
    suspensions_batch,
    vas_batch,
)
from pipelines.synthetic.billing_monthly import (
    alerts_batch,
    bill_batches,
    month_usage,
    new_bill,
    usage_batches,
)
from pipelines.synthetic.config import Config
from pipelines.synthetic.delivery import Deliveries
from pipelines.synthetic.dirty import Injector
from pipelines.synthetic.snapshots import snapshot_batches


class Progress:
    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.t0 = time.perf_counter()

    def __call__(self, what: str, rows: dict[str, int]) -> None:
        counts = "  ".join(f"{name} {n:,}" for name, n in rows.items())
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.log(f"[{time.perf_counter() - self.t0:7.1f} s | peak {rss:5.0f} MB] {what}: {counts}")


def generate(cfg: Config, log: Callable[[str], None] = print) -> Path:
    """Write every contract table for ``cfg`` into ``cfg.out``; returns the manifest's path."""
    progress = Progress(log)
    plan = hotline.staffing_plan(cfg.subscribers)
    world = reference.build_world(cfg, plan.pool)
    out = Deliveries(cfg.out, Injector(cfg.seed, cfg.dirty_rate), _meta(cfg))
    snapshot = cfg.end  # reference snapshots are exported on the period's last day
    progress(
        "reference",
        {t: out.write(t, f"{t}_{snapshot}", b) for t, b in snapshot_batches(world).items()},
    )

    book = complaints.ComplaintBook()
    desk = DisputeDesk()
    usage = None
    month_rows: Counter[str] = Counter()
    last = cfg.end.toordinal()
    for i in range(cfg.days):
        day = cfg.start + timedelta(days=i)
        ordinal = day.toordinal()
        if usage is None or usage.month != day.replace(day=1):
            usage = month_usage(world, day.replace(day=1))
        active = world.subs.active_on(ordinal)
        calls = hotline.simulate(world, plan, day, active, cfg.seed)
        requests = complaints.receive(world, book, day, active, calls, last)
        batches = {
            "hotline_calls": hotline.calls_batch(world, calls, cfg.seed, ordinal),
            "agent_shifts": calls.shifts,
            "complaints": complaints.complaints_batch(
                world, book.complaints.pop(ordinal, []), cfg.seed, ordinal
            ),
            "complaint_events": complaints.events_batch(
                book.events.pop(ordinal, []), cfg.seed, ordinal
            ),
            "sms_ratings": ratings.ratings_batch(world, day, active, calls),
            "payments": payments_batch(world, day, active),
            "vas_orders": vas_batch(world, day, active),
            "billing_disputes": disputes_batch(world, day, active, requests, desk),
            "suspensions": suspensions_batch(world, day, active),
            "data_usage_alerts": alerts_batch(world, usage, day),
        }
        for table, batch in batches.items():
            month_rows[table] += out.write(table, f"{table}_{day}", batch)
        month_over = (day + timedelta(days=1)).day == 1
        if month_over or ordinal == last:
            progress(f"{day:%Y-%m} (to {day:%d})", dict(month_rows))
            month_rows.clear()
        if month_over:
            # The month has ended inside the period: its bill and usage can be exported.
            bill = new_bill(usage)
            stem = f"{usage.month:%Y-%m}"
            rows = {
                "bill_items": out.write(
                    "bill_items", f"bill_items_{stem}", bill_batches(world, usage, bill)
                ),
                "usage_monthly": out.write(
                    "usage_monthly", f"usage_monthly_{stem}", usage_batches(world, usage)
                ),
            }
            desk.bills = {m: b for m, b in desk.bills.items() if (usage.month - m).days < 62}
            desk.bills[usage.month] = bill
            progress(f"{stem} bill", rows)
    out.late_arrivals = book.late
    return out.write_manifest()


def _meta(cfg: Config) -> dict[str, object]:
    return {
        "seed": cfg.seed,
        "scale": cfg.scale,
        "subscribers": cfg.subscribers,
        "halls": cfg.halls,
        "days": cfg.days,
        "start": cfg.start.isoformat(),
        "end": cfg.end.isoformat(),
        "dirty_rate": cfg.dirty_rate,
    }
