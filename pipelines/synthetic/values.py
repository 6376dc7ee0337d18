"""How values are spelled in a delivery. Every column leaves the generator as text (or NULL).

Times are carried as int64 seconds since 1970-01-01 00:00 *local* (Asia/Shanghai wall clock),
dates as ``date.toordinal()``, money as int64 fen. A small share of timestamps and phone numbers
is written in the other valid forms the contract allows, so that ingestion has to normalise them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.contract import BOOL_FALSE, BOOL_TRUE, TABLE_BY_NAME

Batch = dict[str, pa.Array]

DAY = 86_400
EPOCH = date(1970, 1, 1)
UTC_OFFSET = 8 * 3600
ISO_SHARE = 0.004
PHONE_VARIANT_SHARE = 0.01
BOOL_VARIANT_SHARE = 0.03


def day_start(day: date) -> int:
    """Local midnight of ``day`` in generator seconds."""
    return (day - EPOCH).days * DAY


def as_datetime(secs: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(seconds=int(secs))


def enum_weights(table: str, column: str, weights: dict[str, float]) -> dict[str, float]:
    """``weights`` after checking they cover exactly the contract's enumeration of the column."""
    allowed = TABLE_BY_NAME[table].column(column).values
    if set(weights) != set(allowed):
        raise ValueError(f"{table}.{column}: weights for {sorted(weights)}, contract {allowed}")
    return weights


def enum_values(table: str, column: str, *values: str) -> tuple[str, ...]:
    """``values`` after checking each is in the contract's enumeration of the column."""
    allowed = TABLE_BY_NAME[table].column(column).values
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"{table}.{column}: {unknown} not in the contract's {allowed}")
    return values


def text(values: np.ndarray | list) -> pa.Array:
    return pa.array(values, type=pa.string())


def labels_text(labels: np.ndarray | list | tuple, index: np.ndarray) -> pa.Array:
    """``labels[index]`` as text without a Python string per row; index -1 is NULL."""
    index = np.asarray(index)
    positions = pa.array(index, mask=index < 0) if (index < 0).any() else pa.array(index)
    return pa.array(list(labels), pa.string()).take(positions)


def serial_ids(prefix: str, n: int, width: int) -> pa.Array:
    """``prefix`` followed by 1..n zero-padded to ``width`` digits (``C20260824000001``)."""
    numbers = pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, numbers, "")


def ts_text(
    secs: np.ndarray,
    rng: np.random.Generator,
    valid: np.ndarray | None = None,
    iso_share: float = ISO_SHARE,
) -> pa.Array:
    """Timestamps as ``YYYY-MM-DD HH:MM:SS``; a few as ISO 8601 with an offset, same instant."""
    secs = np.asarray(secs, dtype=np.int64)
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    out = pa.array(secs, type=pa.timestamp("s"), mask=mask).cast(pa.string())
    pick = rng.random(len(secs)) < iso_share
    if mask is not None:
        pick &= ~mask
    if not pick.any():
        return out
    styles = rng.integers(0, 3, int(pick.sum()))
    spelled = [_iso(int(s), int(style)) for s, style in zip(secs[pick], styles, strict=True)]
    return pc.replace_with_mask(out, pa.array(pick), pa.array(spelled, type=pa.string()))


def _iso(secs: int, style: int) -> str:
    if style == 2:
        return as_datetime(secs).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    utc = as_datetime(secs - UTC_OFFSET).strftime("%Y-%m-%dT%H:%M:%S")
    return utc + ("Z" if style == 0 else "+00:00")


def parse_ts(value: str) -> int:
    """Generator seconds of a timestamp written by :func:`ts_text` (either spelling)."""
    if "T" not in value:
        return int((datetime.fromisoformat(value) - datetime(1970, 1, 1)).total_seconds())
    aware = datetime.fromisoformat(value.replace("Z", "+00:00"))
    naive_utc = aware.replace(tzinfo=None) - (aware.utcoffset() or timedelta())
    return int((naive_utc - datetime(1970, 1, 1)).total_seconds()) + UTC_OFFSET


def date_text(ordinals: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    days = np.asarray(ordinals, dtype=np.int64) - EPOCH.toordinal()
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    return pa.array(days.astype("int32"), type=pa.date32(), mask=mask).cast(pa.string())


def month_text(month: date, size: int) -> pa.Array:
    return pa.array([month.strftime("%Y-%m")] * size, type=pa.string())


def money_text(fen: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Non-negative fen as yuan with two decimals (``12.50``)."""
    fen = np.asarray(fen, dtype=np.int64)
    if (fen < 0).any():
        raise ValueError("money_text spells non-negative amounts only")
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    yuan = pa.array(fen // 100, mask=mask).cast(pa.string())
    cents = pc.utf8_lpad(pa.array(fen % 100).cast(pa.string()), 2, "0")
    return pc.binary_join_element_wise(yuan, cents, ".")


def int_text(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    return pa.array(np.asarray(values, dtype=np.int64), mask=mask).cast(pa.string())


def _spelling(word: str) -> str:
    # The contract lists ``y``/``n``; exports write them upper-case, and matching ignores case.
    return word.upper() if len(word) == 1 and word.isascii() and word.isalpha() else word


_BOOL_FORMS = np.array(
    [(_spelling(t), _spelling(f)) for t, f in zip(BOOL_TRUE, BOOL_FALSE, strict=True)], dtype=object
)


def bool_text(
    values: np.ndarray, rng: np.random.Generator, valid: np.ndarray | None = None
) -> pa.Array:
    """``true``/``false``; now and then ``1/0``, ``Y/N`` or ``是/否``, as old exports write them."""
    values = np.asarray(values, dtype=bool)
    form = np.where(
        rng.random(len(values)) < BOOL_VARIANT_SHARE,
        rng.integers(1, len(_BOOL_FORMS), len(values)),
        0,
    )
    spelled = _BOOL_FORMS[form, np.where(values, 0, 1)]
    if valid is not None:
        spelled[~np.asarray(valid, dtype=bool)] = None
    return text(spelled)


def phone_text(msisdn: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """11-digit numbers; about 1 % with a country code, spaces or dashes (valid forms)."""
    msisdn = np.asarray(msisdn, dtype=np.int64)
    out = pa.array(msisdn).cast(pa.string())
    pick = rng.random(len(msisdn)) < PHONE_VARIANT_SHARE
    if not pick.any():
        return out
    styles = rng.integers(0, len(_PHONE_STYLES), int(pick.sum()))
    spelled = [_PHONE_STYLES[s](str(n)) for n, s in zip(msisdn[pick], styles, strict=True)]
    return pc.replace_with_mask(out, pa.array(pick), pa.array(spelled, type=pa.string()))


_PHONE_STYLES = (
    lambda n: f"+86 {n[:3]}-{n[3:7]}-{n[7:]}",
    lambda n: f"0086{n}",
    lambda n: f"86{n}",
    lambda n: f"{n[:3]} {n[3:7]} {n[7:]}",
    lambda n: f"+86{n}",
)
