"""The reference tables as delivered: one snapshot file each, exported on the period's last day."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from pipelines.synthetic.randomness import rng_for
from pipelines.synthetic.reference import NEVER, World
from pipelines.synthetic.values import (
    Batch,
    bool_text,
    date_text,
    int_text,
    labels_text,
    money_text,
    phone_text,
    text,
)

CHUNK = 250_000


def snapshot_batches(world: World) -> dict[str, Batch | Iterator[Batch]]:
    return {
        "halls": _halls(world),
        "staff": _staff(world),
        "plans": _plans(world),
        "subscribers": _subscribers(world),
    }


def _halls(world: World) -> Batch:
    h = world.halls
    return {
        "hall_id": text(h.ids),
        "hall_name": text(h.names),
        "district": text(h.districts),
        "hall_type": text(h.types),
        "opened_on": date_text(h.opened),
        "closed_on": date_text(h.closed, valid=h.closed != NEVER),
    }


def _staff(world: World) -> Batch:
    s = world.staff
    return {
        "staff_id": text(s.ids),
        "staff_name": text(s.names),
        "team": text(s.team),
        "hall_id": text(np.where(s.hall >= 0, world.halls.ids[s.hall], None)),
        "role": text(s.role),
        "hired_on": date_text(s.hired),
        "left_on": date_text(s.left, valid=s.left != NEVER),
    }


def _plans(world: World) -> Batch:
    p = world.plans

    def money(attr: str):
        return money_text(np.array([getattr(x, attr) for x in p]))

    return {
        "plan_code": text([x.code for x in p]),
        "plan_name": text([x.name for x in p]),
        "monthly_fee": money("fee_fen"),
        "included_voice_minutes": int_text(np.array([x.voice_min for x in p])),
        "included_sms": int_text(np.array([x.sms for x in p])),
        "included_data_mb": int_text(np.array([x.data_mb for x in p])),
        "voice_overage_per_minute": money("voice_fen"),
        "sms_overage_each": money("sms_fen"),
        "data_overage_per_mb": money("data_fen"),
        "available_from": date_text(np.array([x.available_from.toordinal() for x in p])),
        "available_to": text([x.available_to.isoformat() if x.available_to else None for x in p]),
    }


def _subscribers(world: World) -> Iterator[Batch]:
    s = world.subs
    rng = rng_for(world.cfg.seed, "subscribers-text")
    plan_codes = [p.code for p in world.plans]
    for lo in range(0, len(s.msisdn), CHUNK):
        part = slice(lo, lo + CHUNK)
        home = s.home_hall[part]
        yield {
            "msisdn": phone_text(s.msisdn[part], rng),
            "brand": text(s.brand[part]),
            "vip": bool_text(s.vip[part], rng),
            "plan_code": labels_text(plan_codes, s.plan[part]),
            "home_hall_id": labels_text(world.halls.ids, home),
            "activated_on": date_text(s.activated[part]),
            "deactivated_on": date_text(s.deactivated[part], valid=s.deactivated[part] != NEVER),
        }
