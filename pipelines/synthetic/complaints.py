"""Complaints and their timelines: first reply, updates, 督办, resolution, close, 回访, reopening.

A complaint's whole timeline is drawn the day it is received; each event waits in a
per-day buffer and is delivered in the file of the day it happens. Events after the last
generated day have not happened yet and are never written.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from pipelines.synthetic import vocab
from pipelines.synthetic.hotline import CallDay
from pipelines.synthetic.randomness import rng_for, weighted
from pipelines.synthetic.reference import World
from pipelines.synthetic.values import (
    DAY,
    EPOCH,
    Batch,
    day_start,
    enum_values,
    enum_weights,
    phone_text,
    text,
    ts_text,
)

HOUR = 3600
RATE_PER_SUB_DAY = 18 / 10_000 / 30.4  # about 18 complaints per 10 000 subscribers a month
LATE_SHARE = 0.01  # complaints whose row comes a day after their first events (late arrival)

CHANNELS = enum_weights(
    "complaints",
    "channel",
    {
        "hotline_10086": 0.55,
        "hall": 0.14,
        "online": 0.18,
        "vip_center": 0.05,
        "gm_reception": 0.02,
        "regulator": 0.06,
    },
)
CATEGORIES = enum_weights(
    "complaints",
    "category",
    {
        "billing": 0.25,
        "vas_subscription": 0.12,
        "network_quality": 0.20,
        "data_usage": 0.14,
        "service_attitude": 0.08,
        "suspension": 0.05,
        "tariff": 0.10,
        "other": 0.06,
    },
)
FIRST_CALLBACK = enum_weights(
    "complaint_events",
    "callback_outcome",
    {
        "satisfied": 0.885,
        "fairly_satisfied": 0.075,
        "dissatisfied": 0.015,
        "unreachable": 0.025,
    },
)
LATER_CALLBACK = {
    "satisfied": 0.80,
    "fairly_satisfied": 0.14,
    "dissatisfied": 0.04,
    "unreachable": 0.02,
}
(FIRST_REPLY, PROGRESS, ESCALATED, RESOLVED, CLOSED, CALLBACK, REOPENED) = enum_values(
    "complaint_events",
    "event_type",
    "first_reply",
    "progress_update",
    "escalated",
    "resolved",
    "closed",
    "callback",
    "reopened",
)
NORMAL, URGENT = enum_values("complaints", "urgency", "normal", "urgent")


@dataclass
class ComplaintBook:
    """What the complaint system knows across days: buffered rows and recent complainants."""

    complaints: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))
    events: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))
    recent: deque = field(default_factory=deque)  # (ordinal, subscriber, category)
    late: list[dict] = field(default_factory=list)
    received: int = 0


@dataclass(frozen=True)
class DisputeRequest:
    complaint_id: str
    sub: int
    raised_at: int


def receive(
    world: World, book: ComplaintBook, day: date, active: np.ndarray, calls: CallDay, last_day: int
) -> list[DisputeRequest]:
    """Draw the day's complaints into ``book``; link hotline ones to the calls that opened them."""
    rng = rng_for(world.cfg.seed, "complaints", day.toordinal())
    ordinal = day.toordinal()
    while book.recent and book.recent[0][0] < ordinal - 30:
        book.recent.popleft()
    factor = (0.8 if day.weekday() >= 5 else 1.05) * (1.25 if day.day <= 3 else 1.0)
    n = rng.poisson(len(active) * RATE_PER_SUB_DAY * factor)
    channels = weighted(rng, CHANNELS, n)
    categories = weighted(rng, CATEGORIES, n)
    # Calls that end after midnight open tomorrow's complaints, not today's.
    answered = calls.answered_rows
    linkable = rng.permutation(answered[calls.end[answered] < day_start(day) + DAY])
    disputes = []
    for k in range(n):
        complaint = _complaint(
            world, rng, day, active, calls, linkable, k, channels[k], categories[k], book
        )
        complaint["complaint_id"] = _complaint_id(day, k)
        # Every 125th complaint misses the 48-hour reply: rare, yet present even in a demo.
        events = _timeline(world, rng, complaint, breach=book.received % 125 == 62)
        deliver = ordinal
        # The run's first complaint traced the same day always arrives late, so every run
        # shows the case; after that about one in a hundred.
        if (
            ordinal < last_day
            and _traced_today(complaint, events, ordinal)
            and (not book.late or rng.random() < LATE_SHARE)
        ):
            deliver = ordinal + 1
            book.late.append(
                {
                    "table": "complaints",
                    "complaint_id": complaint["complaint_id"],
                    "received_on": day.isoformat(),
                    "delivered_on": date.fromordinal(deliver).isoformat(),
                }
            )
        book.recent.append((ordinal, complaint["sub"], complaint["category"]))
        book.complaints[deliver].append(complaint)
        for event in events:
            event_day = _ordinal(event["event_at"])
            if event_day <= last_day:
                book.events[event_day].append(event)
        book.received += 1
        if complaint["category"] == "billing" and rng.random() < 0.35:
            raised = min(
                complaint["received_at"] + int(rng.integers(600, 2 * HOUR)),
                day_start(day) + DAY - 1,
            )
            disputes.append(DisputeRequest(complaint["complaint_id"], complaint["sub"], raised))
    return disputes


def _ordinal(secs: int) -> int:
    return EPOCH.toordinal() + int(secs // DAY)


def _traced_today(complaint: dict, events: list[dict], ordinal: int) -> bool:
    """Whether the complaint's call or first event is delivered the day it is received."""
    return complaint["from_call"] or _ordinal(events[0]["event_at"]) == ordinal


def _complaint(
    world: World,
    rng: np.random.Generator,
    day: date,
    active: np.ndarray,
    calls: CallDay,
    linkable: np.ndarray,
    k: int,
    channel: str,
    category: str,
    book: ComplaintBook,
) -> dict:
    t0 = day_start(day)
    ordinal = day.toordinal()
    staff = world.staff
    hall = None
    call_row = linkable[k] if channel == "hotline_10086" and k < len(linkable) else None
    if call_row is not None:
        sub = int(calls.sub[call_row])
        received = int(calls.end[call_row])
        owner = int(calls.agent[call_row])
    else:
        sub = int(active[rng.integers(0, len(active))])
        received = t0 + int(rng.choice(_HOURS, p=_HOUR_P)) * HOUR + int(rng.integers(0, HOUR))
        owner = -1
    still_here = world.subs.deactivated
    repeats = [r for r in book.recent if r[2] == category and still_here[r[1]] > ordinal]
    if call_row is None and repeats and rng.random() < 0.06:
        sub = int(repeats[rng.integers(0, len(repeats))][1])
    if channel == "hall":
        home = int(world.subs.home_hall[sub])
        open_halls = world.halls.open_on(ordinal)
        hall = home if home in open_halls else int(rng.choice(open_halls))
        team = staff.active("hall", ordinal, hall)
        if not len(team):
            team = staff.active("hall", ordinal)
    elif channel == "vip_center":
        team = staff.active("vip_center", ordinal)
    else:
        team = staff.active("hotline" if channel == "hotline_10086" else "back_office", ordinal)
    if owner < 0:
        owner = int(team[rng.integers(0, len(team))])
    if call_row is not None:
        calls.disposition[call_row] = "ticket_created"
    urgent = rng.random() < (0.4 if channel == "regulator" else 0.06)
    complaint = {
        "sub": sub,
        "received_at": received,
        "channel": channel,
        "category": category,
        "urgency": URGENT if urgent else NORMAL,
        "first_owner_staff_id": staff.ids[owner],
        "hall_id": world.halls.ids[hall] if hall is not None else None,
        "summary": _summary(rng, category),
        "from_call": call_row is not None,
    }
    if call_row is not None:
        calls.complaint_id[call_row] = _complaint_id(day, k)
    return complaint


def _complaint_id(day: date, k: int) -> str:
    return f"TS{day:%Y%m%d}{k + 1:04d}"


_HOURS = np.arange(8, 22)
_HOUR_P = np.array([2, 5, 8, 8, 7, 5, 6, 8, 8, 7, 6, 5, 4, 3], dtype=float)
_HOUR_P /= _HOUR_P.sum()


def _summary(rng: np.random.Generator, category: str) -> str | None:
    roll = rng.random()
    if roll < 0.02:
        return None
    if roll < 0.035:
        return str(rng.choice(vocab.UNTRUSTED_TEXTS))
    templates = vocab.COMPLAINT_TEXTS[category]
    line = templates[rng.integers(0, len(templates))].format(
        n=int(rng.integers(5, 300)),
        p=str(rng.choice(["咪咕视频会员", "彩铃", "游戏包", "手机报"])),
        road=str(rng.choice(vocab.ROADS)),
    )
    if roll > 0.92:
        # Agents paste the customer's words: ASCII commas and a second line.
        line += f"\n客户补充: 已经是第{int(rng.integers(2, 5))}次反映, 希望尽快处理"
    return line


def _timeline(world: World, rng: np.random.Generator, complaint: dict, breach: bool) -> list[dict]:
    """The complaint's events. Most are replied to within hours; a few breach 48 h or 15 days."""
    t0 = complaint["received_at"]
    handlers = world.staff.stable("back_office")
    handler = world.staff.ids[handlers[rng.integers(0, len(handlers))]]
    urgent = complaint["urgency"] == URGENT
    events: list[tuple[int, str, str | None, str | None]] = []
    if breach:
        reply = 48 * HOUR + int(rng.integers(1, 30 * HOUR))
    else:
        median = 0.7 if urgent else 2.5
        reply = int(min(rng.lognormal(np.log(median * HOUR), 1.0), 46 * HOUR)) + 60
    events.append((t0 + reply, FIRST_REPLY, handler, None))
    late_close = rng.random() < 0.012
    if late_close:
        resolve = int(rng.integers(15 * DAY + HOUR, 25 * DAY))
    else:
        resolve = int(min(rng.lognormal(np.log(2.5 * DAY), 0.6), 14.5 * DAY))
    resolve = max(resolve, reply + HOUR)
    escalate = {"regulator": 0.35, "gm_reception": 0.25}.get(complaint["channel"], 0.03)
    if rng.random() < (0.6 if breach or late_close else escalate):
        events.append((t0 + int(rng.integers(HOUR, resolve)), ESCALATED, None, None))
    for _ in range(rng.poisson(0.8)):
        events.append((t0 + int(rng.integers(reply, resolve)), PROGRESS, handler, None))
    closed = t0 + resolve + int(rng.integers(600, 20 * HOUR))
    events += [(t0 + resolve, RESOLVED, handler, None), (closed, CLOSED, handler, None)]
    events += _callbacks(world, rng, closed, handler, FIRST_CALLBACK, reopen_allowed=True)
    events.sort(key=lambda e: e[0])
    cid = complaint["complaint_id"]
    return [
        {
            "event_id": f"{cid}-{i + 1:02d}",
            "complaint_id": cid,
            "event_at": at,
            "event_type": kind,
            "staff_id": staff,
            "callback_outcome": outcome,
            "note": _note(rng, kind),
        }
        for i, (at, kind, staff, outcome) in enumerate(events)
    ]


def _callbacks(world, rng, closed: int, handler: str, outcomes: dict, reopen_allowed: bool):
    """回访 after the close; an unreachable customer is tried again, a dissatisfied one reopens."""
    if rng.random() > 0.97:
        return []
    callers = world.staff.stable("back_office")
    caller = world.staff.ids[callers[rng.integers(0, len(callers))]]
    if rng.random() < 0.015:
        at = closed + int(rng.integers(8 * DAY, 12 * DAY))
    else:
        at = closed + int(min(rng.lognormal(np.log(DAY), 0.7), 6.5 * DAY))
    outcome = str(weighted(rng, outcomes, 1)[0])
    events = [(at, CALLBACK, caller, outcome)]
    if outcome == "unreachable" and rng.random() < 0.8:
        again = str(weighted(rng, LATER_CALLBACK | {"unreachable": 0.0}, 1)[0])
        events.append((at + DAY + int(rng.integers(0, 4 * HOUR)), CALLBACK, caller, again))
        outcome = again
    if reopen_allowed and (
        (outcome == "dissatisfied" and rng.random() < 0.6) or rng.random() < 0.008
    ):
        reopened = events[-1][0] + int(rng.integers(HOUR, DAY))
        resolved = reopened + int(rng.integers(DAY, 5 * DAY))
        closed_again = resolved + int(rng.integers(600, DAY))
        events += [
            (reopened, REOPENED, handler, None),
            (resolved, RESOLVED, handler, None),
            (closed_again, CLOSED, handler, None),
        ]
        events += _callbacks(world, rng, closed_again, handler, LATER_CALLBACK, False)
    return events


def _note(rng: np.random.Generator, kind: str) -> str | None:
    if rng.random() < 0.1:
        return None
    if rng.random() < 0.01:
        return str(rng.choice(vocab.UNTRUSTED_TEXTS))
    notes = vocab.EVENT_NOTES[kind]
    return notes[rng.integers(0, len(notes))]


def complaints_batch(world: World, rows: list[dict], seed: int, ordinal: int) -> Batch:
    rng = rng_for(seed, "complaints-text", ordinal)
    return {
        "complaint_id": text([r["complaint_id"] for r in rows]),
        "received_at": ts_text(np.array([r["received_at"] for r in rows], dtype=np.int64), rng),
        "channel": text([r["channel"] for r in rows]),
        "msisdn": phone_text(world.subs.msisdn[[r["sub"] for r in rows]], rng),
        "category": text([r["category"] for r in rows]),
        "urgency": text([r["urgency"] for r in rows]),
        "first_owner_staff_id": text([r["first_owner_staff_id"] for r in rows]),
        "hall_id": text([r["hall_id"] for r in rows]),
        "summary": text([r["summary"] for r in rows]),
    }


def events_batch(rows: list[dict], seed: int, ordinal: int) -> Batch:
    rng = rng_for(seed, "events-text", ordinal)
    rows = sorted(rows, key=lambda r: r["event_at"])
    return {
        "event_id": text([r["event_id"] for r in rows]),
        "complaint_id": text([r["complaint_id"] for r in rows]),
        "event_at": ts_text(np.array([r["event_at"] for r in rows], dtype=np.int64), rng),
        "event_type": text([r["event_type"] for r in rows]),
        "staff_id": text([r["staff_id"] for r in rows]),
        "callback_outcome": text([r["callback_outcome"] for r in rows]),
        "note": text([r["note"] for r in rows]),
    }
