"""A month of usage per subscriber, the data alerts it triggers, and the itemised bill.

Usage is drawn when a month starts (the alerts of its days need it), and the bill and usage
files are written once the month is over. Subscribers are processed in chunks so a city
month (a million subscribers, about four million bill items) never sits in memory as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from pipelines.contract import TABLE_BY_NAME
from pipelines.synthetic.randomness import rng_for
from pipelines.synthetic.reference import World
from pipelines.synthetic.values import (
    DAY,
    EPOCH,
    Batch,
    day_start,
    int_text,
    labels_text,
    money_text,
    month_text,
    phone_text,
    ts_text,
)

CHUNK = 250_000
ITEM_CODES = TABLE_BY_NAME["bill_items"].column("item_code").values
THRESHOLDS = tuple(
    int(v) for v in TABLE_BY_NAME["data_usage_alerts"].column("threshold_pct").values
)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class MonthUsage:
    month: date
    subs: np.ndarray  # subscribers active on at least one day of the month
    voice: np.ndarray
    sms: np.ndarray
    data: np.ndarray
    alerts: dict[str, np.ndarray]  # sub, threshold, crossed, sent (-1: never sent); by crossed


def month_usage(world: World, month: date) -> MonthUsage:
    rng = rng_for(world.cfg.seed, "usage", month.toordinal())
    s = world.subs
    first, after = month.toordinal(), next_month(month).toordinal()
    subs = np.flatnonzero((s.activated < after) & (s.deactivated > first))
    since = np.maximum(s.activated[subs], first)
    until = np.minimum(s.deactivated[subs], after)
    share = (until - since) / (after - first)
    voice = rng.poisson(s.voice[subs] * rng.lognormal(0, 0.2, len(subs)) * share)
    sms = rng.poisson(s.sms[subs] * rng.lognormal(0, 0.3, len(subs)) * share)
    data = (s.data[subs] * rng.lognormal(0, 0.25, len(subs)) * share).astype(np.int64)

    allowance = np.array([p.data_mb for p in world.plans])[s.plan[subs]]
    # Usage grows roughly linearly over the days a customer is active; each customer's pace
    # drifts a little, the same way for all three thresholds so they are crossed in order.
    start_s = (since - EPOCH.toordinal()) * DAY
    span = (until - since) * DAY
    drift = rng.normal(0, 0.04, len(subs))
    parts = []
    for pct in THRESHOLDS:
        need = allowance * pct / 100
        hit = np.flatnonzero((allowance > 0) & (data >= need) & (data > 0))
        at_share = np.clip(need[hit] / data[hit] + drift[hit], 0.0, 0.999)
        parts.append(
            (hit, np.full(len(hit), pct), start_s[hit] + (at_share * span[hit]).astype(np.int64))
        )
    hit = np.concatenate([p[0] for p in parts])
    crossed = np.concatenate([p[2] for p in parts])
    roll = rng.random(len(hit))
    sent = crossed + np.clip(rng.exponential(180, len(hit)), 5, 3600).astype(np.int64)
    late = roll < 0.006
    sent[late] = crossed[late] + rng.integers(3601, 5 * 3600, int(late.sum()))
    sent[roll > 0.997] = -1
    order = np.argsort(crossed, kind="stable")
    alerts = {
        "sub": subs[hit][order],
        "threshold": np.concatenate([p[1] for p in parts])[order],
        "crossed": crossed[order],
        "sent": sent[order],
    }
    return MonthUsage(month, subs, voice, sms, data, alerts)


def alerts_batch(world: World, usage: MonthUsage, day: date) -> Batch:
    rng = rng_for(world.cfg.seed, "alerts-text", day.toordinal())
    t0 = day_start(day)
    a = usage.alerts
    lo, hi = np.searchsorted(a["crossed"], [t0, t0 + DAY])
    sent = a["sent"][lo:hi]
    return {
        "msisdn": phone_text(world.subs.msisdn[a["sub"][lo:hi]], rng),
        "month": month_text(usage.month, hi - lo),
        "threshold_pct": int_text(a["threshold"][lo:hi]),
        "crossed_at": ts_text(a["crossed"][lo:hi], rng),
        "alert_sent_at": ts_text(sent, rng, valid=sent >= 0),
    }


def usage_batches(world: World, usage: MonthUsage) -> Iterator[Batch]:
    rng = rng_for(world.cfg.seed, "usage-text", usage.month.toordinal())
    for lo in range(0, len(usage.subs), CHUNK):
        part = slice(lo, lo + CHUNK)
        n = len(usage.subs[part])
        yield {
            "msisdn": phone_text(world.subs.msisdn[usage.subs[part]], rng),
            "month": month_text(usage.month, n),
            "voice_minutes": int_text(usage.voice[part]),
            "sms_count": int_text(usage.sms[part]),
            "data_mb": int_text(usage.data[part]),
        }


@dataclass
class Bill:
    """Which items each subscriber was billed for in a month (disputes name one of them)."""

    month: date
    subs: np.ndarray  # sorted subscriber indices
    items: np.ndarray  # bool, (len(subs), len(ITEM_CODES))

    def items_of(self, sub: int) -> np.ndarray:
        row = np.searchsorted(self.subs, sub)
        if row < len(self.subs) and self.subs[row] == sub:
            return np.flatnonzero(self.items[row])
        return np.empty(0, dtype=int)


def _item_amounts(world: World, usage: MonthUsage, part: slice, rng: np.random.Generator):
    """Fen per item code for a chunk of subscribers; 0 = no such line on the bill."""
    subs = usage.subs[part]
    n = len(subs)
    plan = world.subs.plan[subs]

    def price(attr: str) -> np.ndarray:
        return np.array([getattr(p, attr) for p in world.plans])[plan]

    def sometimes(p: float, lo: int, hi: int) -> np.ndarray:
        return np.where(rng.random(n) < p, rng.integers(lo, hi, n), 0)

    over_voice = np.maximum(usage.voice[part] - price("voice_min"), 0) * price("voice_fen")
    over_sms = np.maximum(usage.sms[part] - price("sms"), 0) * price("sms_fen")
    over_data = np.maximum(usage.data[part] - price("data_mb"), 0) * price("data_fen")
    amounts = {
        "monthly_plan": price("fee_fen"),
        "voice_call": over_voice + sometimes(0.45, 50, 2000),  # roaming, long distance, IP
        "p2p_sms": over_sms + sometimes(0.40, 10, 500),  # MMS and international SMS
        "sp_sms": sometimes(0.20, 100, 1500),
        "mobile_secretary": sometimes(0.06, 500, 501),
        "gprs_package": sometimes(0.30, 1, 4) * 1000,
        "data_service": over_data + sometimes(0.30, 100, 1000),
        "e_shopping": sometimes(0.05, 500, 20000),
        "voice_info": sometimes(0.02, 100, 3000),
        "other": sometimes(0.25, 300, 1000),
    }
    if tuple(amounts) != ITEM_CODES:
        raise ValueError("bill item amounts must follow the contract's item codes")
    return np.stack([amounts[c] for c in ITEM_CODES], axis=1)


def bill_batches(world: World, usage: MonthUsage, bill: Bill) -> Iterator[Batch]:
    """The month's bill items, one chunk of subscribers at a time; fills ``bill.items``."""
    rng = rng_for(world.cfg.seed, "bill", usage.month.toordinal())
    plan_codes = [p.code for p in world.plans]
    for lo in range(0, len(usage.subs), CHUNK):
        part = slice(lo, lo + CHUNK)
        fen = _item_amounts(world, usage, part, rng)
        bill.items[part] = fen > 0
        row, col = np.nonzero(fen > 0)  # row-major: a subscriber's lines stay together
        subs = usage.subs[part][row]
        yield {
            "bill_month": month_text(usage.month, len(row)),
            "msisdn": phone_text(world.subs.msisdn[subs], rng),
            "item_code": labels_text(ITEM_CODES, col),
            "amount": money_text(fen[row, col]),
            "plan_code": labels_text(plan_codes, world.subs.plan[subs]),
        }


def new_bill(usage: MonthUsage) -> Bill:
    return Bill(usage.month, usage.subs, np.zeros((len(usage.subs), len(ITEM_CODES)), dtype=bool))
