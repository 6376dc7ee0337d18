"""SQL that types and checks staged rows against the contract.

Staged rows hold every column as text. ``checked_select`` turns them into typed values
plus ``__problem`` = ``'<reason>|<column>'`` for the first check a row fails (NULL for a
valid row). Checks run in column order — a missing required value, then a value that
does not parse as its type, its enumeration or a phone number — and then the table's
conditional rules, which see typed values.
"""

from __future__ import annotations

import re

from pipelines.contract import BOOL_FALSE, BOOL_TRUE, Column, Kind, Table
from pipelines.ingest import pii
from pipelines.settings import TIMEZONE

LOCAL_FORMATS = (
    "['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f']"
)
OFFSET_FORMATS = (
    "['%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S%z', "
    "'%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%d %H:%M:%S.%f%z']"
)


def raw(col: str) -> str:
    """The staged text value (trimmed, empty as NULL by ``checked_select``'s first step)."""
    return f'"{col}"'


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def typed_sql(col: Column) -> str:
    """SQL parsing the staged text of ``col`` into its stored type; NULL when it does not parse."""
    r = raw(col.name)
    match col.kind:
        case Kind.TEXT | Kind.ENUM:
            return pii.mask_free_text_sql(r) if col.free_text else r
        case Kind.DATE:
            return f"try_strptime({r}, '%Y-%m-%d')::DATE"
        case Kind.MONTH:
            return f"try_strptime({r} || '-01', '%Y-%m-%d')::DATE"
        case Kind.TIMESTAMP:
            # An ISO 8601 value with an offset is converted to local Asia/Shanghai time.
            with_offset = f"try_strptime(regexp_replace({r}, '[Zz]$', '+00:00'), {OFFSET_FORMATS})"
            return (
                f"coalesce(try_strptime({r}, {LOCAL_FORMATS}), "
                f"timezone('{TIMEZONE}', {with_offset}))"
            )
        case Kind.MONEY:
            return (
                f"CASE WHEN regexp_full_match({r}, '-?[0-9]{{1,16}}(\\.[0-9]{{1,2}})?') "
                f"THEN CAST({r} AS DECIMAL(18,2)) END"
            )
        case Kind.INT:
            return (
                f"CASE WHEN regexp_full_match({r}, '-?[0-9]{{1,9}}') THEN CAST({r} AS INTEGER) END"
            )
        case Kind.BOOL:
            return (
                f"CASE WHEN lower({r}) IN ({_quoted(BOOL_TRUE)}) THEN true "
                f"WHEN lower({r}) IN ({_quoted(BOOL_FALSE)}) THEN false END"
            )
        case Kind.PHONE:
            return pii.normalised_sql(r)
    raise ValueError(f"no parser for {col.kind}")


def _failure(col: Column, required: bool) -> list[tuple[str, str]]:
    """(condition, reason) pairs for one column, over the staged text and the typed value."""
    r, t = raw(col.name), f'"__t_{col.name}"'
    checks = [(f"{r} IS NULL", "missing_required")] if required else []
    if col.kind is Kind.PHONE:
        checks.append((f"{r} IS NOT NULL AND {t} IS NULL", "bad_phone"))
    elif col.kind not in (Kind.TEXT, Kind.ENUM):
        checks.append((f"{r} IS NOT NULL AND {t} IS NULL", "bad_type"))
    if col.values:
        typed_values = _quoted(col.values) if col.kind is Kind.ENUM else ", ".join(col.values)
        checks.append((f"{t} IS NOT NULL AND {t} NOT IN ({typed_values})", "bad_enum"))
    return checks


def _csv_field(value: str) -> str:
    """SQL: one value as an RFC 4180 field."""
    return (
        f"CASE WHEN {value} IS NULL THEN '' "
        f"WHEN regexp_matches({value}, '[\",\\n\\r]') "
        f"THEN '\"' || replace({value}, '\"', '\"\"') || '\"' ELSE {value} END"
    )


def raw_line_sql(table: Table) -> str:
    """SQL: a staged row back as a CSV line, every phone number in it masked."""
    fields = [
        _csv_field(pii.masked_raw_sql(raw(c.name)) if c.kind is Kind.PHONE else f'"{c.name}"')
        for c in table.columns
    ]
    return pii.mask_free_text_sql(f"concat_ws(',', {', '.join(fields)})")


def stored_line_sql(table: Table) -> str:
    """SQL: a stored (typed, pseudonymised) row as a CSV line, for quarantined duplicates."""
    fields = [
        _csv_field("msisdn_masked" if c.kind is Kind.PHONE else f'CAST("{c.name}" AS VARCHAR)')
        for c in table.columns
    ]
    return pii.mask_free_text_sql(f"concat_ws(',', {', '.join(fields)})")


# A checked row holds a valid phone number as this BIGINT until its ``customer_key`` is
# looked up (``pii.key_lookup``): the HMAC is computed once per distinct number, not per row.
PHONE_NUMBER = "__msisdn"


def checked_columns(table: Table) -> list[str]:
    """SQL of a checked row's columns over the typed ``__t_`` columns: the stored columns
    of ``raw.<table>``, except that a phone column is still the number (``PHONE_NUMBER``)."""
    out = []
    for col in table.columns:
        typed = f'"__t_{col.name}"'
        if col.kind is Kind.PHONE:
            out += [
                f"CAST({typed} AS BIGINT) AS {PHONE_NUMBER}",
                f"{pii.masked_sql(typed)} AS msisdn_masked",
            ]
        else:
            out.append(f'{typed} AS "{col.name}"')
    return out


def checked_key(table: Table) -> list[str]:
    """The primary key of checked rows, quoted (a phone number stands for its key)."""
    return [
        PHONE_NUMBER if table.column(c).kind is Kind.PHONE else f'"{c}"' for c in table.primary_key
    ]


def checked_select(table: Table, staged: str) -> str:
    """SELECT over staged text rows (``__file``, one text column per contract column):
    ``__file``, the checked columns, ``__problem`` = ``'<reason>|<column>'`` of the first
    failed check (NULL for a valid row) and, for an invalid row only, ``__raw_line``.
    """
    # The contract: empty field = NULL; surrounding spaces are not part of a value.
    trimmed = ", ".join(f'{_trimmed(c.name)} AS "{c.name}"' for c in table.columns)
    typed = ", ".join(f'{typed_sql(c)} AS "__t_{c.name}"' for c in table.columns)
    cases: list[str] = []
    for col in table.columns:
        required = col.required or col.name in table.primary_key
        for condition, reason in _failure(col, required):
            cases.append(f"WHEN {condition} THEN '{reason}|{col.name}'")
    for rule in table.rules:
        broken = rule.broken
        for col in table.columns:
            broken = _rename(broken, col.name, f'"__t_{col.name}"')
        cases.append(f"WHEN coalesce({broken}, false) THEN 'rule_broken|{rule.column}'")
    return f"""
        SELECT __file, {", ".join(checked_columns(table))}, __problem,
               CASE WHEN __problem IS NOT NULL THEN {raw_line_sql(table)} END AS __raw_line
        FROM (
            SELECT *, CASE {" ".join(cases)} END AS __problem
            FROM (SELECT *, {typed} FROM (SELECT __file, {trimmed} FROM {staged})) AS typed
        ) AS checked
    """


def _trimmed(col: str) -> str:
    """SQL: the staged value without surrounding spaces, empty as NULL. Most values have
    none, and testing for them is cheaper than copying every string through trim()."""
    r = f'"{col}"'
    return (
        f"CASE WHEN starts_with({r}, ' ') OR ends_with({r}, ' ') "
        f"THEN nullif(trim({r}), '') ELSE nullif({r}, '') END"
    )


def _rename(sql: str, name: str, replacement: str) -> str:
    """Replace the identifier ``name`` in a rule's SQL (whole words only)."""
    return re.sub(rf"(?<![\w\"]){re.escape(name)}(?![\w\"])", replacement, sql)
