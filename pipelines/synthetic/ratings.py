"""SMS evaluation invitations after hall visits, answered 10086 calls and online-hall orders.

Replies are what customers really send: mostly ``1``, but also ``１``, ``1满意``, ``不满意！``,
``TD``, chatter, ``12``; some come after the 48 h window, many never come, a few SMS fail.
A handful of staff ("weak" in the reference data) collect visibly more 3s.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from pipelines.synthetic import vocab
from pipelines.synthetic.hotline import CallDay
from pipelines.synthetic.randomness import rng_for, weighted
from pipelines.synthetic.reference import HALL_VISITS_PER_SUB_DAY, World
from pipelines.synthetic.values import (
    Batch,
    day_start,
    enum_values,
    enum_weights,
    phone_text,
    serial_ids,
    text,
    ts_text,
)

HOUR = 3600
ONLINE_PER_SUB_DAY = 0.001
HOTLINE_INVITED = 0.55
HALL, ONLINE, HOTLINE = enum_values("sms_ratings", "channel", "hall", "online_hall", "hotline")
DELIVERED, FAILED = enum_values("sms_ratings", "delivery_status", "delivered", "failed")
REPLY_RATE = enum_weights("sms_ratings", "channel", {HALL: 0.42, HOTLINE: 0.40, ONLINE: 0.30})
REPLY_KIND = {"valid": 0.93, "invalid": 0.045, "opt_out": 0.025}
CODES = {  # chance of 1, 2, 3 among valid replies
    "good": (0.965, 0.025, 0.01),
    "weak": (0.86, 0.07, 0.07),
    "online": (0.93, 0.05, 0.02),
}
_HALL_HOURS = np.arange(9, 18)
_HALL_P = np.array([6, 9, 8, 5, 5, 7, 8, 7, 4], dtype=float)
# Online orders after 22:00 get no evaluation SMS (quiet hours), as hotline calls don't.
_ONLINE_HOURS = np.arange(7, 22)
_ONLINE_P = np.array([2, 4, 6, 7, 7, 6, 5, 5, 6, 6, 5, 5, 6, 8, 9], dtype=float)


def _times(rng: np.random.Generator, t0: int, hours: np.ndarray, p: np.ndarray, n: int):
    return t0 + rng.choice(hours, n, p=p / p.sum()) * HOUR + rng.integers(0, HOUR, n)


def ratings_batch(world: World, day: date, active: np.ndarray, calls: CallDay) -> Batch:
    rng = rng_for(world.cfg.seed, "ratings", day.toordinal())
    ordinal, t0 = day.toordinal(), day_start(day)
    busy = (1.15 if day.weekday() >= 5 else 1.0) * (1.2 if day.day <= 3 else 1.0)

    halls, staff, served = [], [], []
    for h in world.halls.open_on(ordinal):
        crew = world.staff.active("hall", ordinal, h)
        n = rng.poisson(len(active) * HALL_VISITS_PER_SUB_DAY * world.halls.weight[h] * busy)
        if not len(crew) or not n:
            continue
        halls.append(np.full(n, h))
        staff.append(crew[rng.integers(0, len(crew), n)])
        served.append(_times(rng, t0, _HALL_HOURS, _HALL_P, n))
    hall_n = int(sum(len(x) for x in halls))
    # No evaluation SMS after 22:00 (quiet hours), so every invitation is sent the same day.
    evening = calls.end[calls.answered_rows] >= t0 + 22 * HOUR
    invited_calls = calls.answered_rows[
        (rng.random(len(calls.answered_rows)) < HOTLINE_INVITED) & ~evening
    ]
    online_n = rng.poisson(len(active) * ONLINE_PER_SUB_DAY * busy)
    n_hot = len(invited_calls)

    channel = np.array([HALL] * hall_n + [HOTLINE] * n_hot + [ONLINE] * online_n, dtype=object)
    hall = np.concatenate([*halls, np.full(n_hot + online_n, -1)]).astype(int)
    who = np.concatenate([*staff, calls.agent[invited_calls], np.full(online_n, -1)]).astype(int)
    sub = np.concatenate(
        [
            active[rng.integers(0, len(active), hall_n)],
            calls.sub[invited_calls],
            active[rng.integers(0, len(active), online_n)],
        ]
    ).astype(int)
    served_at = np.concatenate(
        [*served, calls.end[invited_calls], _times(rng, t0, _ONLINE_HOURS, _ONLINE_P, online_n)]
    ).astype(np.int64)
    n = len(channel)
    service = np.empty(n, dtype=object)
    for ch in REPLY_RATE:
        rows = channel == ch
        service[rows] = weighted(rng, vocab.SERVICE_TYPES[ch], int(rows.sum()))
    delay = np.where(rng.random(n) < 0.03, 0, np.clip(rng.lognormal(np.log(90), 0.8, n), 5, HOUR))
    invited = served_at + delay.astype(np.int64)
    status = np.where(rng.random(n) < 0.025, FAILED, DELIVERED)

    rate = np.array([REPLY_RATE[c] for c in channel])
    replied = (status == DELIVERED) & (rng.random(n) < rate)
    late = replied & (rng.random(n) < 0.025)
    reply_at = invited + np.clip(rng.lognormal(np.log(12 * 60), 1.2, n), 20, 47 * HOUR).astype(
        np.int64
    )
    reply_at[late] = invited[late] + 48 * HOUR + rng.integers(60, 72 * HOUR, int(late.sum()))
    reply = np.full(n, None, dtype=object)
    kind = weighted(rng, REPLY_KIND, n)
    weak = (who >= 0) & world.staff.weak[np.maximum(who, 0)]
    profile = np.where(channel == ONLINE, "online", np.where(weak, "weak", "good"))
    code = np.empty(n, dtype=object)
    for name, p in CODES.items():
        rows = profile == name
        code[rows] = rng.choice(np.array(["1", "2", "3"], dtype=object), int(rows.sum()), p=p)
    pool = np.where(kind == "valid", code, kind)
    for name, texts in vocab.REPLIES.items():
        rows = replied & (pool == name)
        reply[rows] = weighted(rng, texts, int(rows.sum()))

    order = np.argsort(invited, kind="stable")
    return {
        "invitation_id": serial_ids(f"R{day:%Y%m%d}", n, 6),
        "channel": text(channel[order]),
        "hall_id": text(np.where(hall >= 0, world.halls.ids[hall], None)[order]),
        "staff_id": text(np.where(who >= 0, world.staff.ids[who], None)[order]),
        "service_type": text(service[order]),
        "msisdn": phone_text(world.subs.msisdn[sub[order]], rng),
        "served_at": ts_text(served_at[order], rng),
        "invited_at": ts_text(invited[order], rng),
        "delivery_status": text(status[order]),
        "reply_at": ts_text(reply_at[order], rng, valid=replied[order]),
        "reply_text": text(reply[order]),
    }
