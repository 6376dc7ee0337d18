"""``--dirty-rate``: which deliveries get another format or encoding, and which rows get a defect.

Every kind of defect is injected at least once per table as soon as a file has a row that
qualifies for it (so even a tiny dirty run covers the contract); beyond that, each row is
damaged with probability ``rate``. The injector reports exactly what it did, row by row,
for the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pipelines.contract import TABLES, Table
from pipelines.synthetic.defects import ROW_DEFECTS, RULE_MUTATIONS, applicable
from pipelines.synthetic.randomness import rng_for

# The first file with rows of these tables gets this (format, encoding), so that each variant
# appears in any dirty run; other files get one with probability FORMAT_SHARE each.
FORCED_FORMATS = {
    "staff": ("csv", "gbk"),
    "complaints": ("csv", "gbk"),
    "sms_ratings": ("csv", "utf-8-sig"),
    "hotline_calls": ("csv.gz", "utf-8"),
    "payments": ("parquet", None),
}
FORMAT_SHARE = 0.04
# GBK is how the Chinese back-office systems export; only tables with Chinese text get it.
GBK_TABLES = {
    "halls",
    "staff",
    "plans",
    "sms_ratings",
    "complaints",
    "complaint_events",
    "vas_orders",
}
# The one delivery that lacks a required column and must be rejected whole.
MISSING_COLUMN = ("vas_orders", "requested_at")
ATTEMPTS = 40


@dataclass(frozen=True)
class FilePlan:
    fmt: str = "csv"  # "csv", "csv.gz" or "parquet"
    encoding: str | None = "utf-8"  # "utf-8", "utf-8-sig" (BOM) or "gbk"; None for Parquet
    drop_column: str | None = None


@dataclass(frozen=True)
class Defect:
    row: int  # index in the chunk as finally written
    reason: str
    column: str | None
    rule: str | None = None


class Injector:
    def __init__(self, seed: int, rate: float) -> None:
        self.seed = seed
        self.rate = rate
        self._needed = {t.name: _specs(t) for t in TABLES} if rate > 0 else {}
        self._forced = dict(FORCED_FORMATS) if rate > 0 else {}
        self._missing_done = rate <= 0

    def plan(self, table: Table, stem: str, rows: int | None) -> FilePlan:
        """The format of a delivery; ``rows`` is its row count when known before writing."""
        if self.rate <= 0:
            return FilePlan()
        if not self._missing_done and table.name == MISSING_COLUMN[0] and rows:
            self._missing_done = True
            return FilePlan(drop_column=MISSING_COLUMN[1])
        if table.name in self._forced and (rows is None or rows > 0):
            fmt, encoding = self._forced.pop(table.name)
            return FilePlan(fmt, encoding)
        rng = rng_for(self.seed, "format", stem)
        roll = rng.random()
        if roll < FORMAT_SHARE:
            return FilePlan("parquet", None)
        if roll < 2 * FORMAT_SHARE:
            return FilePlan("csv.gz", "utf-8")
        if roll < 3 * FORMAT_SHARE:
            return FilePlan("csv", "utf-8-sig")
        if roll < 4 * FORMAT_SHARE and table.name in GBK_TABLES and rows:
            return FilePlan("csv", "gbk")
        return FilePlan()

    def damage(self, table: Table, chunk: pa.Table, stem: str, part: int):
        """The chunk with defects injected, and the defects (row = index in the returned chunk)."""
        n = chunk.num_rows
        if self.rate <= 0 or n == 0:
            return chunk, []
        rng = rng_for(self.seed, "dirty", stem, part)
        needed = self._needed[table.name]
        extra = [_random_spec(table, rng) for _ in range(rng.binomial(n, self.rate))]
        used: set[int] = set()
        broken_keys: set[tuple] = set()
        replaced: dict[int, dict] = {}
        copies: list[int] = []
        found: list[tuple[int, str, str | None, str | None]] = []
        for spec in [*needed, *extra]:
            for _ in range(ATTEMPTS):
                i = int(rng.integers(n))
                if i in used:
                    continue
                row = chunk.slice(i, 1).to_pylist()[0]
                if spec == "duplicate_key":
                    used.add(i)
                    copies.append(i)
                    found.append((i, spec, None, None))
                    break
                column = _apply(table, spec, row, rng)
                if column is None:
                    continue
                key = tuple(row[c] for c in table.primary_key)
                if column in table.primary_key and key in broken_keys:
                    continue  # two damaged rows must not end up sharing a key
                broken_keys.add(key)
                used.add(i)
                replaced[i] = row
                reason, rule = (
                    ("rule_broken", spec[5:]) if spec.startswith("rule:") else (spec, None)
                )
                found.append((i, reason, column, rule))
                break
            else:
                continue
            if spec in needed:
                needed.remove(spec)
        return _assemble(chunk, replaced, copies, found, rng)


def _specs(table: Table) -> list[str]:
    """Every defect a table can carry: reason codes, and one ``rule:<name>`` per rule."""
    reasons = [r for r in applicable(table) if r != "rule_broken"]
    return reasons + [f"rule:{r.name}" for r in table.rules]


def _random_spec(table: Table, rng: np.random.Generator) -> str:
    reasons = applicable(table)
    reason = reasons[int(rng.integers(len(reasons)))]
    if reason != "rule_broken":
        return reason
    return f"rule:{table.rules[int(rng.integers(len(table.rules)))].name}"


def _apply(table: Table, spec: str, row: dict, rng: np.random.Generator) -> str | None:
    if spec.startswith("rule:"):
        return RULE_MUTATIONS[spec[5:]](row, rng)
    return ROW_DEFECTS[spec](table, row, rng)


def _assemble(chunk: pa.Table, replaced: dict[int, dict], copies: list[int], found, rng):
    """Damaged rows stay in place; each duplicate lands somewhere after its original."""
    n = chunk.num_rows
    damaged = sorted(replaced)
    parts = [chunk]
    if damaged:
        parts.append(pa.Table.from_pylist([replaced[i] for i in damaged], schema=chunk.schema))
    if copies:
        parts.append(chunk.take(copies))
    source = np.arange(n)
    source[damaged] = n + np.arange(len(damaged))
    source = np.concatenate([source, n + len(damaged) + np.arange(len(copies))])
    after = np.array(copies, dtype=float)
    keys = np.concatenate([np.arange(n, dtype=float), after + rng.uniform(0.5, n - after + 0.5)])
    order = np.argsort(keys, kind="stable")
    position = np.empty(len(keys), dtype=int)
    position[order] = np.arange(len(keys))
    copy_of = {i: n + k for k, i in enumerate(copies)}
    defects = [
        Defect(int(position[copy_of[i] if reason == "duplicate_key" else i]), reason, col, rule)
        for i, reason, col, rule in found
    ]
    return pa.concat_tables(parts).take(source[order]), sorted(defects, key=lambda d: d.row)
