"""The branch itself: halls, staff, the tariff catalogue and the subscriber base.

Everything here is built once per run and kept in memory as numpy arrays (a million
subscribers take about 40 MB); the daily and monthly generators draw from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from pipelines.synthetic import catalogue, vocab
from pipelines.synthetic.config import Config
from pipelines.synthetic.randomness import rng_for, weighted
from pipelines.synthetic.values import enum_weights

NEVER = date.max.toordinal()  # "no end date": later than any day generated
HALL_VISITS_PER_SUB_DAY = 0.004
MOBILE_PREFIXES = np.array(
    [
        134,
        135,
        136,
        137,
        138,
        139,
        147,
        150,
        151,
        152,
        157,
        158,
        159,
        178,
        182,
        183,
        184,
        187,
        188,
        195,
        198,
    ]
)


@dataclass(frozen=True)
class Halls:
    ids: np.ndarray
    names: np.ndarray
    districts: np.ndarray
    types: np.ndarray
    weight: np.ndarray  # share of the branch's walk-in customers
    opened: np.ndarray  # ordinals
    closed: np.ndarray  # ordinals, NEVER when open

    def open_on(self, day: int) -> np.ndarray:
        return np.flatnonzero((self.opened <= day) & (self.closed > day))


@dataclass(frozen=True)
class Staff:
    ids: np.ndarray
    names: np.ndarray
    team: np.ndarray
    hall: np.ndarray  # hall index, -1 outside halls
    role: np.ndarray
    hired: np.ndarray
    left: np.ndarray
    weak: np.ndarray  # a few staff whose customers are noticeably less satisfied

    def active(self, team: str, day: int, hall: int | None = None) -> np.ndarray:
        ok = (self.team == team) & (self.hired <= day) & (self.left > day)
        if hall is not None:
            ok &= self.hall == hall
        return np.flatnonzero(ok)

    def stable(self, team: str) -> np.ndarray:
        """Staff of the team who never leave: complaint handlers whose cases run for weeks."""
        return np.flatnonzero((self.team == team) & (self.left == NEVER))


@dataclass(frozen=True)
class Subscribers:
    msisdn: np.ndarray  # int64
    brand: np.ndarray  # str (object)
    vip: np.ndarray
    plan: np.ndarray  # index into World.plans
    home_hall: np.ndarray  # hall index, -1 without one
    activated: np.ndarray
    deactivated: np.ndarray
    voice: np.ndarray  # typical monthly minutes, SMS, MB
    sms: np.ndarray
    data: np.ndarray

    def active_on(self, day: int) -> np.ndarray:
        return np.flatnonzero((self.activated <= day) & (self.deactivated > day))


@dataclass(frozen=True)
class World:
    cfg: Config
    halls: Halls
    staff: Staff
    plans: tuple[catalogue.Plan, ...]
    subs: Subscribers


def build_world(cfg: Config, hotline_pool: int) -> World:
    """The reference data of a run; ``hotline_pool`` agents are hired for the 10086 roster."""
    halls = _halls(cfg)
    plans = catalogue.plans(cfg.start)
    subs = _subscribers(cfg, halls, plans)
    staff = _staff(cfg, halls, hotline_pool)
    return World(cfg, halls, staff, plans, subs)


def _halls(cfg: Config) -> Halls:
    rng = rng_for(cfg.seed, "halls")
    n = cfg.halls
    types = np.array(["standard"] * n, dtype=object)
    flagship, franchise, self_service = n // 12 + 1, n // 4, n // 8
    types[:flagship] = "flagship"
    types[flagship : flagship + franchise] = "franchise"
    types[n - self_service :] = "self_service"
    roads = rng.choice(np.array(vocab.ROADS, dtype=object), size=n, replace=False)
    names = np.array([road + vocab.HALL_SUFFIX[t] for road, t in zip(roads, types, strict=True)])
    districts = np.array(vocab.DISTRICTS, dtype=object)[rng.integers(0, len(vocab.DISTRICTS), n)]
    base = enum_weights(
        "halls",
        "hall_type",
        {"flagship": 3.0, "standard": 1.4, "franchise": 0.9, "self_service": 0.4},
    )
    weight = np.array([base[t] for t in types]) * rng.lognormal(0, 0.25, n)
    start = cfg.start.toordinal()
    opened = start - rng.integers(365, 23 * 365, n)
    closed = np.full(n, NEVER)
    # One franchise hall closed shortly before the period, one standard hall opens during it.
    closed[flagship] = start - 40
    if cfg.days >= 30:
        opened[n - self_service - 1] = start + cfg.days // 3
    return Halls(
        ids=np.array([f"YT{i + 1:03d}" for i in range(n)], dtype=object),
        names=names.astype(object),
        districts=districts,
        types=types,
        weight=weight / weight.sum(),
        opened=opened,
        closed=closed,
    )


def chinese_names(rng: np.random.Generator, n: int) -> np.ndarray:
    surnames = np.array(list(vocab.SURNAMES), dtype=object)
    given = np.array(list(vocab.GIVEN), dtype=object)
    # Common surnames dominate, as they do in any Chinese city.
    p = 1 / np.arange(1, len(surnames) + 1) ** 0.7
    first = surnames[rng.choice(len(surnames), n, p=p / p.sum())]
    second = given[rng.integers(0, len(given), n)]
    third = np.where(rng.random(n) < 0.7, given[rng.integers(0, len(given), n)], "")
    return first + second + third


def _staff(cfg: Config, halls: Halls, hotline_pool: int) -> Staff:
    rng = rng_for(cfg.seed, "staff")
    visits = cfg.subscribers * HALL_VISITS_PER_SUB_DAY * halls.weight
    per_hall = np.clip(np.round(visits / 30), 2, 14).astype(int)
    counts = {
        "hall": int(per_hall.sum()),
        "hotline": hotline_pool,
        "vip_center": max(2, cfg.subscribers // 50_000),
        "back_office": max(3, cfg.subscribers // 25_000),
    }
    enum_weights("staff", "team", dict.fromkeys(counts, 1.0))
    team = np.concatenate([np.full(k, t, dtype=object) for t, k in counts.items()])
    n = len(team)
    hall = np.full(n, -1)
    hall[: counts["hall"]] = np.repeat(np.arange(len(per_hall)), per_hall)
    role = np.empty(n, dtype=object)
    for t in counts:
        pool = np.array(vocab.ROLES[t], dtype=object)
        role[team == t] = pool[rng.integers(0, len(pool), int((team == t).sum()))]
    start = cfg.start.toordinal()
    hired = start - rng.integers(60, 15 * 365, n)
    left = np.full(n, NEVER)
    in_hall = hall >= 0
    hired[in_hall] = np.maximum(hired[in_hall], halls.opened[hall[in_hall]] - 14)
    left[in_hall] = np.minimum(left[in_hall], halls.closed[hall[in_hall]])
    # A little turnover inside the period, never among complaint handlers (their cases run long).
    turnover = (team != "back_office") & (rng.random(n) < 0.03)
    left[turnover] = start + rng.integers(1, cfg.days + 1, int(turnover.sum()))
    newcomers = (team != "back_office") & ~turnover & (rng.random(n) < 0.03)
    hired[newcomers] = start + rng.integers(0, cfg.days, int(newcomers.sum()))
    return Staff(
        ids=np.array([f"E{10001 + i}" for i in range(n)], dtype=object),
        names=chinese_names(rng, n),
        team=team,
        hall=hall,
        role=role,
        hired=hired,
        left=left,
        weak=rng.random(n) < 0.06,
    )


def plan_costs(
    plans: tuple[catalogue.Plan, ...], voice: np.ndarray, sms: np.ndarray, data: np.ndarray
) -> np.ndarray:
    """Fen each usage would cost under each plan: shape (len(usage), len(plans))."""
    cols = []
    for p in plans:
        cols.append(
            p.fee_fen
            + np.maximum(voice - p.voice_min, 0) * p.voice_fen
            + np.maximum(sms - p.sms, 0) * p.sms_fen
            + np.maximum(data - p.data_mb, 0) * p.data_fen
        )
    return np.stack(cols, axis=1)


def _subscribers(cfg: Config, halls: Halls, plans: tuple[catalogue.Plan, ...]) -> Subscribers:
    rng = rng_for(cfg.seed, "subscribers")
    n = cfg.subscribers
    numbers = np.empty(0, dtype=np.int64)
    while len(numbers) < n:
        more = MOBILE_PREFIXES[rng.integers(0, len(MOBILE_PREFIXES), n)] * 10**8
        numbers = np.sort(np.concatenate([numbers, more + rng.integers(0, 10**8, n)]))
        numbers = numbers[np.r_[True, numbers[1:] != numbers[:-1]]]
    msisdn = rng.permutation(numbers)[:n]
    segment = weighted(rng, {"business": 22, "youth": 30, "basic": 42, "light": 6}, n)
    medians = {  # voice minutes, SMS, MB per month
        "business": (400, 20, 15_000),
        "youth": (120, 10, 18_000),
        "basic": (150, 15, 3_000),
        "light": (80, 8, 2_000),
    }
    med = np.empty((n, 3))
    for name, m in medians.items():
        med[segment == name] = m
    # Clipped: a lognormal's far tail would bill a few customers thousands of yuan a month.
    voice = np.minimum(rng.lognormal(np.log(med[:, 0]), 0.8), 3000)
    sms = np.minimum(rng.lognormal(np.log(med[:, 1]), 1.0), 600)
    data = np.minimum(rng.lognormal(np.log(med[:, 2]), 0.9), 120_000)
    plan = _assign_plans(rng, plans, voice, sms, data, cfg.start)
    # The brand follows the plan's family; a few numbers belong to other brands (IoT, 和多号).
    family = np.array([p.family for p in plans], dtype=object)[plan]
    brand = np.where(family == "any", "other", family)
    brand[rng.random(n) < 0.04] = "other"
    enum_weights("subscribers", "brand", dict.fromkeys(np.unique(brand), 1.0))
    vip = rng.random(n) < np.where(brand == "gotone", 0.18, 0.01)
    start = cfg.start.toordinal()
    open_halls = halls.open_on(start)
    p = halls.weight[open_halls]
    home = np.where(
        rng.random(n) < 0.88, open_halls[rng.choice(len(open_halls), n, p=p / p.sum())], -1
    )
    activated = start - np.minimum(rng.exponential(5 * 365, n).astype(int) + 1, 25 * 365)
    new = rng.random(n) < 0.008 * cfg.days / 30.4
    activated[new] = start + rng.integers(0, cfg.days, int(new.sum()))
    deactivated = np.full(n, NEVER)
    churn = rng.random(n) < 0.007 * cfg.days / 30.4
    deactivated[churn] = np.maximum(
        activated[churn] + 1, start + rng.integers(1, cfg.days + 1, int(churn.sum()))
    )
    return Subscribers(
        msisdn=msisdn,
        brand=brand,
        vip=vip,
        plan=plan,
        home_hall=home,
        activated=activated,
        deactivated=deactivated,
        voice=voice.astype(np.float32),
        sms=sms.astype(np.float32),
        data=data.astype(np.float32),
    )


def _assign_plans(
    rng: np.random.Generator,
    plans: tuple[catalogue.Plan, ...],
    voice: np.ndarray,
    sms: np.ndarray,
    data: np.ndarray,
    start: date,
) -> np.ndarray:
    """Most customers were sold the cheapest plan for their usage; some took another plan of the
    same brand, and some light users kept a retired one: the tariff guide's unsuitable plans."""
    cost = plan_costs(plans, voice, sms, data).astype(float)
    on_sale = np.array([p.available_from <= start <= (p.available_to or start) for p in plans])
    legacy = np.flatnonzero(~on_sale & np.array([p.available_from < start for p in plans]))
    family = np.array([p.family for p in plans])
    plan = np.where(on_sale, cost, np.inf).argmin(axis=1)
    roll = rng.random(len(plan))
    for f in np.unique(family[on_sale]):
        choices = np.flatnonzero((family == f) & on_sale)
        rows = np.flatnonzero((family[plan] == f) & (roll < 0.08))
        plan[rows] = choices[rng.integers(0, len(choices), len(rows))]
    # Retired plans stay with light users, who never had a reason to change.
    keep = (roll > 0.95) & (data < 4096)
    plan[keep] = legacy[rng.integers(0, len(legacy), int(keep.sum()))]
    return plan.astype(np.int16)
