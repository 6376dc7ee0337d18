"""The 10086 call centre: a staffing plan, daily rosters, and calls through a half-hour queue model.

Calls arrive with intraday peaks (morning, afternoon, evening), more on Mondays and on the
first days of a month when bills go out. Agents are rostered from a plan made for an average
weekday (Erlang C, 80 % within 20 s), so peaks above the plan make waits grow and the
connection and 15-second rates dip exactly where a supervisor would expect them to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from pipelines.synthetic.randomness import rng_for, weighted
from pipelines.synthetic.reference import World
from pipelines.synthetic.values import (
    Batch,
    bool_text,
    day_start,
    enum_weights,
    int_text,
    phone_text,
    serial_ids,
    text,
    ts_text,
)

SLOT = 1800
SLOTS = 48
CALLS_PER_SUB_DAY = 0.01
AHT_PLAN = 240.0  # seconds of talk, hold and wrap-up the planners assume
PATIENCE = 150.0  # mean seconds a caller waits before hanging up
WEEKDAY_LOAD = (1.12, 1.03, 1.0, 0.98, 1.0, 0.82, 0.78)
MONTH_START_LOAD = {1: 1.35, 2: 1.25, 3: 1.12}
# Shift templates (first half-hour slot, slots); together they cover the whole day.
TEMPLATES = (
    (0, 16),
    (14, 16),
    (16, 16),
    (18, 16),
    (20, 16),
    (24, 16),
    (26, 16),
    (28, 16),
    (32, 16),
)
ABSENCE = 0.04

IVR = enum_weights(
    "hotline_calls", "ivr_outcome", {"self_service": 0.42, "agent_request": 0.52, "hangup": 0.06}
)
QUEUES = enum_weights(
    "hotline_calls",
    "queue",
    # The vip queue takes VIP customers only; they are routed to it after the draw.
    {"billing": 0.32, "data": 0.22, "vas": 0.12, "network": 0.14, "general": 0.20, "vip": 0.0},
)
DISPOSITIONS = enum_weights(
    "hotline_calls",
    "disposition",
    {"resolved": 0.86, "ticket_created": 0.07, "callback_scheduled": 0.04, "transferred": 0.03},
)


def _profile() -> np.ndarray:
    hour = (np.arange(SLOTS) + 0.5) / 2

    def bump(mu: float, sd: float, height: float) -> np.ndarray:
        return height * np.exp(-0.5 * ((hour - mu) / sd) ** 2)

    w = 0.04 + bump(10.2, 1.3, 1.0) + bump(15.2, 1.5, 0.9) + bump(20.0, 1.4, 0.75)
    w += bump(12.8, 3.5, 0.3)
    return w / w.sum()


PROFILE = _profile()


def load_factor(day: date) -> float:
    return WEEKDAY_LOAD[day.weekday()] * MONTH_START_LOAD.get(day.day, 1.0)


def erlang_c(agents: int, load: float) -> float:
    """Probability that a call waits (Erlang C) with ``load`` Erlangs offered to ``agents``."""
    if agents <= load:
        return 1.0
    b = 1.0
    for k in range(1, agents + 1):
        b = load * b / (k + load * b)
    return agents * b / (agents - load * (1 - b))


def agents_needed(calls: float, aht: float, target: float = 0.8, within: float = 20.0) -> int:
    """Fewest agents answering ``target`` of ``calls`` per half-hour within ``within`` seconds."""
    load = calls * aht / SLOT
    n = max(1, math.floor(load) + 1)
    while 1 - erlang_c(n, load) * math.exp(-(n - load) * within / aht) < target:
        n += 1
    return n


def _cover(required: np.ndarray) -> np.ndarray:
    """Agents per shift template so that every slot has its requirement (greedy, left to right)."""
    counts = np.zeros(len(TEMPLATES), dtype=int)
    covered = np.zeros(SLOTS, dtype=int)
    for slot in range(SLOTS):
        deficit = required[slot] - covered[slot]
        if deficit > 0:
            t = max(
                (k for k, (s, n) in enumerate(TEMPLATES) if s <= slot < s + n),
                key=lambda k: TEMPLATES[k][0],
            )
            counts[t] += deficit
            s, n = TEMPLATES[t]
            covered[s : s + n] += deficit
    return counts


@dataclass(frozen=True)
class StaffingPlan:
    weekday: np.ndarray  # agents per template
    weekend: np.ndarray
    month_start: np.ndarray  # first three days: some overtime, not enough for the full peak

    @property
    def pool(self) -> int:
        """Agents to hire: each works five days in seven and some are absent."""
        most = max(self.weekday.sum(), self.month_start.sum())
        return math.ceil(most * 7 / 5 / (1 - ABSENCE) * 1.08)

    def for_day(self, day: date) -> np.ndarray:
        if day.day in MONTH_START_LOAD and day.weekday() < 5:
            return self.month_start
        return self.weekend if day.weekday() >= 5 else self.weekday


def _expected_abandon(agents: int, load: float) -> float:
    if agents <= load:
        return 1.0
    wait = AHT_PLAN / (agents - load)
    return erlang_c(agents, load) * wait / (wait + PATIENCE)


def _agents(calls: float) -> int:
    """80/20 as the planners' rule, and few enough hang-ups for a small team too."""
    n = agents_needed(calls, AHT_PLAN)
    while _expected_abandon(n, calls * AHT_PLAN / SLOT) > 0.06:
        n += 1
    return n


def staffing_plan(subscribers: int) -> StaffingPlan:
    def plan(factor: float) -> np.ndarray:
        calls = subscribers * CALLS_PER_SUB_DAY * IVR["agent_request"] * factor * PROFILE
        return _cover(np.array([_agents(c) for c in calls]))

    return StaffingPlan(weekday=plan(1.03), weekend=plan(0.80), month_start=plan(1.15))


@dataclass
class CallDay:
    """One day of calls as arrays (times in generator seconds, -1 = empty)."""

    sub: np.ndarray
    start: np.ndarray
    ivr_exit: np.ndarray
    outcome: np.ndarray
    queue: np.ndarray
    queued: np.ndarray
    answered: np.ndarray
    abandoned: np.ndarray
    agent: np.ndarray
    end: np.ndarray
    hold: np.ndarray
    wrapup: np.ndarray
    disposition: np.ndarray
    complaint_id: np.ndarray
    ids: pa.Array
    shifts: Batch

    @property
    def answered_rows(self) -> np.ndarray:
        return np.flatnonzero(self.answered >= 0)


def _roster(world: World, plan: StaffingPlan, day: date, rng: np.random.Generator):
    """Who works which template today: (staff index, start, end) rows and agents per slot."""
    ordinal = day.toordinal()
    agents = world.staff.active("hotline", ordinal)
    # Five days on, two off, staggered by staff number; then a few are off sick.
    on = agents[((agents + ordinal) % 7 < 5) & (rng.random(len(agents)) >= ABSENCE)]
    on = rng.permutation(on)
    counts = plan.for_day(day)
    t0 = day_start(day)
    staff, starts, ends = [], [], []
    per_slot: list[list[int]] = [[] for _ in range(SLOTS)]
    taken = 0
    for t in np.argsort(-counts, kind="stable"):
        s, n = TEMPLATES[t]
        crew = on[taken : taken + counts[t]]
        taken += len(crew)
        for slot in range(s, s + n):
            per_slot[slot].extend(crew.tolist())
        staff.append(crew)
        jitter = np.clip(rng.normal(0, 240, len(crew)), -600, 600).astype(int)
        starts.append(np.maximum(t0 + s * SLOT + jitter, t0))  # the night shift starts today
        ends.append(t0 + (s + n) * SLOT + rng.integers(0, 900, len(crew)))
    return np.concatenate(staff), np.concatenate(starts), np.concatenate(ends), per_slot


def simulate(world: World, plan: StaffingPlan, day: date, active: np.ndarray, seed: int) -> CallDay:
    rng = rng_for(seed, "hotline", day.toordinal())
    t0 = day_start(day)
    roster_staff, shift_start, shift_end, per_slot = _roster(world, plan, day, rng)

    expected = len(active) * CALLS_PER_SUB_DAY * load_factor(day) * rng.lognormal(0, 0.04)
    per_call_slot = rng.poisson(expected * PROFILE)
    slot_of = np.repeat(np.arange(SLOTS), per_call_slot)
    n = len(slot_of)
    start = np.sort(t0 + slot_of * SLOT + rng.integers(0, SLOT, n))
    sub = active[rng.integers(0, len(active), n)]
    # About one caller in ten rings back later the same day (what first-call resolution counts).
    again = np.flatnonzero(rng.random(n) < 0.10)
    again = again[again > 0]
    sub[again] = sub[(rng.random(len(again)) * again).astype(int)]

    ivr_exit = start + np.clip(rng.lognormal(np.log(45), 0.5, n), 8, 300).astype(np.int64)
    outcome = weighted(rng, IVR, n)
    req = outcome == "agent_request"
    queue = np.where(req, weighted(rng, QUEUES, n), None)
    queue[req & world.subs.vip[sub]] = "vip"
    queued = np.where(req, ivr_exit, -1)

    # The half-hour queue model: offered load against agents logged in for that slot.
    q_slot = np.clip((ivr_exit - t0) // SLOT, 0, SLOTS - 1)
    offered = np.bincount(q_slot[req], minlength=SLOTS)
    p_wait = np.ones(SLOTS)
    mean_wait = np.full(SLOTS, 900.0)
    for s in range(SLOTS):
        agents, load = len(per_slot[s]), offered[s] * AHT_PLAN / SLOT
        if agents > load:
            p_wait[s] = erlang_c(agents, load)
            mean_wait[s] = AHT_PLAN / (agents - load)
        elif agents:
            mean_wait[s] = AHT_PLAN * (load - agents + 1) / agents
    mean_wait = np.minimum(mean_wait, 900.0)
    waits = np.where(rng.random(n) < p_wait[q_slot], rng.exponential(mean_wait[q_slot]), 0.0)
    waits = (waits + rng.integers(1, 5, n)).astype(np.int64)
    patience = rng.exponential(PATIENCE, n)
    hasty = rng.random(n) < 0.01
    patience[hasty] = rng.uniform(2, 8, int(hasty.sum()))
    patience = np.maximum(patience.astype(np.int64), 1)
    agent = np.full(n, -1)
    for s in range(SLOTS):
        rows = np.flatnonzero(req & (q_slot == s))
        if len(rows) and per_slot[s]:
            crew = np.array(per_slot[s])
            agent[rows] = crew[rng.integers(0, len(crew), len(rows))]
    got = req & (waits <= patience) & (agent >= 0)
    lost = req & ~got
    agent[~got] = -1
    answered = np.where(got, queued + waits, -1)
    abandoned = np.where(lost, queued + patience, -1)
    talk = np.clip(rng.lognormal(np.log(170), 0.55, n), 20, 3600).astype(np.int64)
    hold = np.where(rng.random(n) < 0.25, rng.lognormal(np.log(40), 0.6, n), 0).astype(np.int64)
    end = np.where(got, answered + talk + hold, np.where(lost, abandoned, ivr_exit))
    disposition = np.where(got, weighted(rng, DISPOSITIONS, n), None)

    return CallDay(
        sub=sub,
        start=start,
        ivr_exit=ivr_exit,
        outcome=outcome,
        queue=queue,
        queued=queued,
        answered=answered,
        abandoned=abandoned,
        agent=agent,
        end=end,
        hold=np.where(got, hold, -1),
        wrapup=np.where(got, rng.integers(8, 46, n), -1),
        disposition=disposition,
        complaint_id=np.full(n, None, dtype=object),
        ids=serial_ids(f"C{day:%Y%m%d}", n, 6),
        shifts={
            "shift_id": serial_ids(f"SH{day:%Y%m%d}", len(roster_staff), 4),
            "staff_id": text(world.staff.ids[roster_staff]),
            "shift_start_at": ts_text(shift_start, rng),
            "shift_end_at": ts_text(shift_end, rng),
        },
    )


def calls_batch(world: World, day: CallDay, seed: int, ordinal: int) -> Batch:
    rng = rng_for(seed, "hotline-text", ordinal)
    got = day.answered >= 0
    return {
        "call_id": day.ids,
        "msisdn": phone_text(world.subs.msisdn[day.sub], rng),
        "call_start_at": ts_text(day.start, rng),
        "ivr_exit_at": ts_text(day.ivr_exit, rng),
        "ivr_outcome": text(day.outcome),
        "queue": text(day.queue),
        "queued_at": ts_text(day.queued, rng, valid=day.queued >= 0),
        "answered_at": ts_text(day.answered, rng, valid=got),
        "abandoned_at": ts_text(day.abandoned, rng, valid=day.abandoned >= 0),
        "agent_id": text(np.where(day.agent >= 0, world.staff.ids[day.agent], None)),
        "call_end_at": ts_text(day.end, rng),
        "hold_seconds": int_text(day.hold, valid=day.hold >= 0),
        "wrapup_seconds": int_text(day.wrapup, valid=day.wrapup >= 0),
        "transferred": bool_text(day.disposition == "transferred", rng, valid=got),
        "disposition": text(day.disposition),
        "complaint_id": text(day.complaint_id),
    }
