"""One contract violation per damaged row, each with a single, unambiguous quarantine reason.

A mutation takes a clean row (column -> text or None), changes it in place and returns the
column it broke, or None when the row does not qualify (e.g. a rule about callbacks on a
row that is not a callback). Only non-empty values are damaged, so a bad type never hides
behind a missing value; every rule of the contract has its own mutation in RULE_MUTATIONS.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pipelines.contract import Kind, Table
from pipelines.synthetic.values import as_datetime, parse_ts

Row = dict[str, str | None]
Mutation = Callable[[Row, np.random.Generator], "str | None"]

# Values that no reading of the contract's formats accepts. (No "N/A": some readers take it
# for NULL, which would turn a bad type into a missing value.)
BAD_TYPE = {
    Kind.DATE: ("2026-02-30", "31/08/2026", "昨天"),
    Kind.MONTH: ("2026-13", "八月"),
    Kind.TIMESTAMP: ("2026-02-30 09:00:00", "2026-08-24 25:10:00", "下午三点"),
    Kind.MONEY: ("十二元", "12.3.4", "--"),
    Kind.INT: ("三", "约12", "--"),
    Kind.BOOL: ("maybe", "2"),
}
BAD_ENUM = ("未知", "legacy_code", "vip_centre")
BAD_INT_ENUM = ("90", "75")


def _bad_phones(number: str) -> tuple[str, ...]:
    digits = "".join(ch for ch in number if ch.isdigit())[-11:]
    # Each stays invalid even after stripping every non-digit: 10 or 12 digits, or a leading 2.
    return (digits[:-1], digits + "0", "2" + digits[1:], digits[:3] + "O" + digits[4:], "10086")


def _pick(rng: np.random.Generator, options: list[str]) -> str | None:
    return options[int(rng.integers(len(options)))] if options else None


def missing_required(table: Table, row: Row, rng: np.random.Generator) -> str | None:
    col = _pick(rng, [c for c in table.required_columns if row[c] is not None])
    if col is not None:
        row[col] = None
    return col


def bad_type(table: Table, row: Row, rng: np.random.Generator) -> str | None:
    col = _pick(rng, [c.name for c in table.columns if c.kind in BAD_TYPE and row[c.name]])
    if col is not None:
        row[col] = _pick(rng, list(BAD_TYPE[table.column(col).kind]))
    return col


def bad_enum(table: Table, row: Row, rng: np.random.Generator) -> str | None:
    col = _pick(rng, [c.name for c in table.columns if c.values and row[c.name]])
    if col is not None:
        pool = BAD_INT_ENUM if table.column(col).kind is Kind.INT else BAD_ENUM
        row[col] = _pick(rng, list(pool))
    return col


def bad_phone(table: Table, row: Row, rng: np.random.Generator) -> str | None:
    col = _pick(rng, [c.name for c in table.columns if c.kind is Kind.PHONE and row[c.name]])
    if col is not None:
        row[col] = _pick(rng, list(_bad_phones(row[col] or "")))
    return col


ROW_DEFECTS: dict[str, Callable[[Table, Row, np.random.Generator], str | None]] = {
    "missing_required": missing_required,
    "bad_type": bad_type,
    "bad_enum": bad_enum,
    "bad_phone": bad_phone,
}


def applicable(table: Table) -> tuple[str, ...]:
    """Reason codes a row of ``table`` can be damaged with (duplicates and rules included)."""
    kinds = {c.kind for c in table.columns}
    reasons = ["missing_required"]
    if kinds & set(BAD_TYPE):
        reasons.append("bad_type")
    if any(c.values for c in table.columns):
        reasons.append("bad_enum")
    if Kind.PHONE in kinds:
        reasons.append("bad_phone")
    if table.rules:
        reasons.append("rule_broken")
    return (*reasons, "duplicate_key")


def _local(secs: int) -> str:
    return as_datetime(secs).strftime("%Y-%m-%d %H:%M:%S")


def _blank_when(column: str, values: set[str], target: str) -> Mutation:
    """Empty ``target`` on a row whose ``column`` is one of ``values``."""

    def mutate(row: Row, rng: np.random.Generator) -> str | None:
        if row[column] not in values or row[target] is None:
            return None
        row[target] = None
        return target

    return mutate


def _blank_if_present(column: str, target: str) -> Mutation:
    """Empty ``target`` on a row where ``column`` has a value."""

    def mutate(row: Row, rng: np.random.Generator) -> str | None:
        if row[column] is None or row[target] is None:
            return None
        row[target] = None
        return target

    return mutate


def _earlier(target: str, reference: str, seconds: int) -> Mutation:
    """Set ``target`` to ``seconds`` before ``reference`` (0: the same instant)."""

    def mutate(row: Row, rng: np.random.Generator) -> str | None:
        if row[reference] is None:
            return None
        row[target] = _local(parse_ts(row[reference]) - seconds)
        return target

    return mutate


def _negative(target: str) -> Mutation:
    def mutate(row: Row, rng: np.random.Generator) -> str | None:
        value = row[target]
        if value is None:
            return None
        row[target] = "-1" if value.strip("0.") == "" else f"-{value}"
        return target

    return mutate


def _answered_and_abandoned(row: Row, rng: np.random.Generator) -> str | None:
    if row["ivr_outcome"] != "agent_request":
        return None
    if row["answered_at"] is not None:
        row["abandoned_at"] = row["answered_at"]
        return "abandoned_at"
    row["abandoned_at"] = None  # neither: also "not exactly one"
    return "abandoned_at"


def _outcome_without_callback(row: Row, rng: np.random.Generator) -> str | None:
    if row["event_type"] == "callback":
        return None
    row["callback_outcome"] = "satisfied"
    return "callback_outcome"


def _not_positive(row: Row, rng: np.random.Generator) -> str | None:
    if row["amount"] is None:
        return None
    row["amount"] = "0.00" if rng.random() < 0.5 else f"-{row['amount']}"
    return "amount"


RULE_MUTATIONS: dict[str, Mutation] = {
    "hall_staff_need_hall": _blank_when("team", {"hall"}, "hall_id"),
    "hall_rating_needs_hall": _blank_when("channel", {"hall"}, "hall_id"),
    "served_rating_needs_staff": _blank_when("channel", {"hall", "hotline"}, "staff_id"),
    "invited_after_served": _earlier("invited_at", "served_at", 600),
    "reply_needs_time": _blank_if_present("reply_text", "reply_at"),
    "callback_needs_outcome": _blank_when("event_type", {"callback"}, "callback_outcome"),
    "outcome_only_on_callback": _outcome_without_callback,
    "agent_request_needs_queue": _blank_when("ivr_outcome", {"agent_request"}, "queue"),
    "agent_request_needs_queued_at": _blank_when("ivr_outcome", {"agent_request"}, "queued_at"),
    "agent_request_answered_xor_abandoned": _answered_and_abandoned,
    "answered_needs_agent": _blank_if_present("answered_at", "agent_id"),
    "ends_after_start": _earlier("call_end_at", "call_start_at", 60),
    "hold_not_negative": _negative("hold_seconds"),
    "wrapup_not_negative": _negative("wrapup_seconds"),
    "shift_ends_after_start": _earlier("shift_end_at", "shift_start_at", 0),
    "payment_positive": _not_positive,
    "voice_not_negative": _negative("voice_minutes"),
    "sms_not_negative": _negative("sms_count"),
    "data_not_negative": _negative("data_mb"),
}
