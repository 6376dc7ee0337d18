"""Daily billing exports: payments, VAS orders, billing disputes and suspensions.

Each shows the branch keeping its service promises almost always — 缴费到账提醒 within
10 minutes, 二次确认 and 扣费提醒 before a VAS charge, 双倍返还 within 7 days, 先提醒后停机 —
with the rare lapses the compliance lists exist to find.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from pipelines.synthetic.billing_monthly import ITEM_CODES, Bill
from pipelines.synthetic.catalogue import PRODUCTS
from pipelines.synthetic.complaints import DisputeRequest
from pipelines.synthetic.randomness import rng_for, weighted
from pipelines.synthetic.reference import World
from pipelines.synthetic.values import (
    DAY,
    Batch,
    day_start,
    enum_values,
    enum_weights,
    money_text,
    phone_text,
    serial_ids,
    text,
    ts_text,
)

HOUR = 3600
PAY_CHANNELS = enum_weights(
    "payments",
    "channel",
    {
        "hall_counter": 0.06,
        "self_service_kiosk": 0.04,
        "online_hall": 0.08,
        "sms_hall": 0.02,
        "mobile_app": 0.45,
        "bank": 0.05,
        "third_party": 0.30,
    },
)
ORDER_CHANNELS = enum_weights(
    "vas_orders",
    "order_channel",
    {
        "sms": 0.25,
        "wap": 0.10,
        "web": 0.10,
        "hotline_10086": 0.12,
        "hall": 0.15,
        "app": 0.28,
    },
)
REASONS = enum_weights(
    "suspensions",
    "reason",
    {
        "arrears": 0.80,
        "customer_request": 0.09,
        "loss_report": 0.06,
        "fraud": 0.01,
        "other": 0.04,
    },
)
(ARREARS,) = enum_values("suspensions", "reason", "arrears")
# Disputed lines are mostly the opaque ones: SP charges, 声讯, data.
DISPUTE_WEIGHT = enum_weights(
    "billing_disputes",
    "item_code",
    {
        "monthly_plan": 1.0,
        "voice_call": 1.5,
        "p2p_sms": 0.5,
        "sp_sms": 4.0,
        "mobile_secretary": 1.0,
        "gprs_package": 1.5,
        "data_service": 3.0,
        "e_shopping": 1.0,
        "voice_info": 3.0,
        "other": 1.0,
    },
)
for _product in PRODUCTS:
    enum_values("vas_orders", "billing_type", _product.billing_type)

_DAY_HOURS = np.arange(24)
_PAY_P = np.array(
    [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 4, 5, 5, 5, 5, 4, 4, 4, 4, 5, 5, 6, 7, 7, 5, 3], dtype=float
)


def _clock(rng: np.random.Generator, day: date, n: int, p: np.ndarray = _PAY_P) -> np.ndarray:
    return (
        day_start(day) + rng.choice(_DAY_HOURS, n, p=p / p.sum()) * HOUR + rng.integers(0, HOUR, n)
    )


def payments_batch(world: World, day: date, active: np.ndarray) -> Batch:
    rng = rng_for(world.cfg.seed, "payments", day.toordinal())
    # Bills go out on the 1st: the first five days carry the month's payment peak.
    factor = (1.6 if day.day <= 5 else 0.9) * (0.9 if day.weekday() >= 5 else 1.0)
    n = rng.poisson(len(active) / 30.4 * factor)
    paid = np.sort(_clock(rng, day, n))
    round_sums = np.array([10, 20, 30, 50, 100, 200, 300, 500]) * 100
    fen = np.where(
        rng.random(n) < 0.7,
        rng.choice(round_sums, n, p=[0.05, 0.10, 0.12, 0.30, 0.28, 0.08, 0.04, 0.03]),
        np.clip(rng.lognormal(np.log(6800), 0.6, n), 100, 200_000).astype(np.int64),
    )
    roll = rng.random(n)
    confirm = paid + np.clip(rng.exponential(20, n), 1, 600).astype(np.int64)
    late = roll < 0.005
    confirm[late] = paid[late] + rng.integers(601, 3 * HOUR, int(late.sum()))
    balance = fen + np.clip(rng.lognormal(np.log(1500), 1.2, n), 0, 100_000).astype(np.int64)
    return {
        "payment_id": serial_ids(f"P{day:%Y%m%d}", n, 7),
        "msisdn": phone_text(world.subs.msisdn[active[rng.integers(0, len(active), n)]], rng),
        "paid_at": ts_text(paid, rng),
        "amount": money_text(fen),
        "channel": text(weighted(rng, PAY_CHANNELS, n)),
        "confirm_sms_at": ts_text(confirm, rng, valid=roll < 0.997),
        "balance_after": money_text(balance, valid=rng.random(n) >= 0.05),
    }


def vas_batch(world: World, day: date, active: np.ndarray) -> Batch:
    rng = rng_for(world.cfg.seed, "vas", day.toordinal())
    n = rng.poisson(len(active) * 0.0012)
    product = rng.choice(len(PRODUCTS), n, p=_product_p())
    requested = np.sort(_clock(rng, day, n))
    ask = requested + rng.integers(2, 30, n)
    asked = rng.random(n) >= 0.004
    confirmed = asked & (rng.random(n) < 0.88)
    confirm_at = ask + np.clip(rng.lognormal(np.log(60), 1.0, n), 3, 20 * HOUR).astype(np.int64)
    # A few orders are charged without a second confirmation: possible forced subscriptions.
    forced = ~confirmed & (rng.random(n) < 0.003 / 0.12)
    charged = confirmed | forced
    per_use = np.array([PRODUCTS[p].billing_type == "per_use" for p in product], dtype=bool)
    wait = np.where(per_use, rng.integers(10, 300, n), rng.integers(600, 2 * DAY, n))
    charge_at = np.where(confirmed, confirm_at, ask) + wait
    remind_at = charge_at - np.minimum(rng.integers(300, DAY, n), charge_at - ask - 1)
    roll = rng.random(n)
    after = roll < 0.002  # reminder sent only after the charge
    remind_at[after] = charge_at[after] + rng.integers(60, 1800, int(after.sum()))
    reminded = charged & (roll < 0.996)
    cancelled = charged & ~per_use & (rng.random(n) < 0.12)
    cancel_at = charge_at + rng.integers(HOUR, 40 * DAY, n)
    return {
        "order_id": serial_ids(f"V{day:%Y%m%d}", n, 5),
        "msisdn": phone_text(world.subs.msisdn[active[rng.integers(0, len(active), n)]], rng),
        "product_code": text([PRODUCTS[p].code for p in product]),
        "product_name": text([PRODUCTS[p].name for p in product]),
        "sp_code": text([PRODUCTS[p].sp_code for p in product]),
        "billing_type": text([PRODUCTS[p].billing_type for p in product]),
        "order_channel": text(weighted(rng, ORDER_CHANNELS, n)),
        "requested_at": ts_text(requested, rng),
        "confirm_request_at": ts_text(ask, rng, valid=asked),
        "confirmed_at": ts_text(confirm_at, rng, valid=confirmed),
        "charge_reminder_at": ts_text(remind_at, rng, valid=reminded),
        "first_charged_at": ts_text(charge_at, rng, valid=charged),
        "cancelled_at": ts_text(cancel_at, rng, valid=cancelled),
    }


def _product_p() -> np.ndarray:
    w = np.array([p.weight for p in PRODUCTS])
    return w / w.sum()


@dataclass
class DisputeDesk:
    """What the billing-error desk keeps across days: recent bills, errors found so far."""

    bills: dict[date, Bill] = field(default_factory=dict)
    errors: int = 0


def disputes_batch(
    world: World, day: date, active: np.ndarray, requests: list[DisputeRequest], desk: DisputeDesk
) -> Batch:
    """收费误差 claims: most verified within a day or two and refunded double within 7 days."""
    rng = rng_for(world.cfg.seed, "disputes", day.toordinal())
    walk_ins = rng.poisson(len(active) * 1e-5)
    n = len(requests) + walk_ins
    sub = np.concatenate(
        [[r.sub for r in requests], active[rng.integers(0, len(active), walk_ins)]]
    ).astype(int)
    raised = np.concatenate([[r.raised_at for r in requests], _clock(rng, day, walk_ins)])
    raised = raised.astype(np.int64)
    this_month = day.replace(day=1)
    back = np.where(rng.random(n) < 0.8, 1, 2)
    months = [_months_before(this_month, int(b)) for b in back]
    items = np.array(
        [_disputed_item(rng, desk.bills.get(m), s) for m, s in zip(months, sub, strict=True)]
    )
    claimed = np.clip(rng.lognormal(np.log(3000), 0.8, n), 200, 50_000).astype(np.int64)
    verified = rng.random(n) < 0.95
    verified_at = raised + np.clip(rng.lognormal(np.log(20 * HOUR), 0.7, n), 2 * HOUR, 6 * DAY)
    verified_at = verified_at.astype(np.int64)
    error = np.where(
        verified & (rng.random(n) < 0.55), (claimed * rng.uniform(0.2, 1.0, n)).astype(np.int64), 0
    )
    refunded = (error > 0) & (rng.random(n) >= 0.01)
    # Of the errors found, every 25th is refunded only 1.5 times and another every 25th late:
    # rare, yet present even in a demo's couple of dozen.
    nth = np.where(error > 0, desk.errors + np.cumsum(error > 0) - 1, -1) % 25
    desk.errors += int((error > 0).sum())
    short, late = (error > 0) & (nth == 3), (error > 0) & (nth == 15)
    refund = np.where(short, error * 3 // 2, error * 2)
    refund_at = verified_at + np.clip(rng.lognormal(np.log(1.5 * DAY), 0.7, n), HOUR, 6.9 * DAY)
    refund_at[late] = verified_at[late] + rng.integers(8 * DAY, 20 * DAY, int(late.sum()))
    order = np.argsort(raised, kind="stable")
    complaint_ids = np.array([r.complaint_id for r in requests] + [None] * walk_ins, dtype=object)
    return {
        "dispute_id": serial_ids(f"D{day:%Y%m%d}", n, 4),
        "msisdn": phone_text(world.subs.msisdn[sub[order]], rng),
        "complaint_id": text(complaint_ids[order]),
        "raised_at": ts_text(raised[order], rng),
        "bill_month": text([months[i].strftime("%Y-%m") for i in order]),
        "item_code": text(items[order] if n else []),
        "claimed_amount": money_text(claimed[order]),
        "verified_at": ts_text(verified_at[order], rng, valid=verified[order]),
        "verified_error_amount": money_text(error[order], valid=verified[order]),
        "refund_amount": money_text(refund[order], valid=refunded[order]),
        "refunded_at": ts_text(refund_at.astype(np.int64)[order], rng, valid=refunded[order]),
    }


def _months_before(month: date, k: int) -> date:
    index = month.year * 12 + month.month - 1 - k
    return date(index // 12, index % 12 + 1, 1)


def _disputed_item(rng: np.random.Generator, bill: Bill | None, sub: int) -> str:
    """An item the customer was billed for that month, when that bill is known."""
    weights = np.array([DISPUTE_WEIGHT[c] for c in ITEM_CODES])
    lines = bill.items_of(sub) if bill is not None else np.empty(0, dtype=int)
    if len(lines):
        w = weights[lines]
        return ITEM_CODES[int(rng.choice(lines, p=w / w.sum()))]
    return ITEM_CODES[int(rng.choice(len(ITEM_CODES), p=weights / weights.sum()))]


def suspensions_batch(world: World, day: date, active: np.ndarray) -> Batch:
    rng = rng_for(world.cfg.seed, "suspensions", day.toordinal())
    # Arrears suspensions follow the billing cycle: a week after bills go out.
    factor = 2.0 if 4 <= day.day <= 10 else 0.7
    n = rng.poisson(len(active) * 0.0002 * factor)
    reason = weighted(rng, REASONS, n)
    batch_run = (reason == ARREARS) & (rng.random(n) < 0.6)
    at = np.where(batch_run, day_start(day) + rng.integers(HOUR, 3 * HOUR, n), _clock(rng, day, n))
    at = np.sort(at)
    arrears = reason == ARREARS
    roll = rng.random(n)
    remind = at - rng.integers(24 * HOUR + 60, 72 * HOUR, n)
    late = roll < 0.012
    remind[late] = at[late] - rng.integers(HOUR, 23 * HOUR, int(late.sum()))
    reminded = arrears & (roll < 0.995)
    restore_p = np.select(
        [arrears, reason == "loss_report", reason == "customer_request"], [0.75, 0.8, 0.5], 0.1
    )
    restored = rng.random(n) < restore_p
    restore_at = at + np.where(
        arrears,
        np.clip(rng.lognormal(np.log(6 * HOUR), 1.0, n), 600, 20 * DAY),
        rng.integers(DAY, 30 * DAY, n),
    ).astype(np.int64)
    return {
        "suspension_id": serial_ids(f"SP{day:%Y%m%d}", n, 5),
        "msisdn": phone_text(world.subs.msisdn[active[rng.integers(0, len(active), n)]], rng),
        "suspended_at": ts_text(at, rng),
        "reason": text(reason),
        "reminder_sent_at": ts_text(remind, rng, valid=reminded),
        "restored_at": ts_text(restore_at, rng, valid=restored),
    }
