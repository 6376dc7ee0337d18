"""Phone numbers: normalisation, pseudonymisation and masking.

The SQL expressions run inside DuckDB so the plain number never leaves the ingesting
query. The HMAC is computed in SQL from the standard construction
``H(K ^ opad || H(K ^ ipad || m))``; the two padded keys are bound as session variables
so the key never appears in SQL text (which can end up in error messages and logs).
The Python functions are the reference implementation, used for logs and tests.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import duckdb

# Optional country prefix, then an 11-digit mobile number starting with 1.
PHONE_PATTERN = r"^(?:\+86|0086|86)?(1\d{10})$"
# A phone-like number inside free text: an 11-digit run starting with 1, optionally with
# +86/0086 and separators. No digit boundaries (RE2 has no look-around, and a consumed
# boundary hides the next number): a longer digit run is masked too, the safe direction.
FREE_TEXT_PHONE = r"(?:\+?86[ -]?|0086[ -]?)?(1[0-9]{2})[ -]?[0-9]{4}[ -]?([0-9]{4})"

_BLOCK = 64


def normalise(value: str) -> str | None:
    """``+86 138-0013-8000`` → ``13800138000``; None when it is not a mobile number."""
    compact = re.sub(r"[\s-]", "", value)
    match = re.match(PHONE_PATTERN, compact)
    return match.group(1) if match else None


def customer_key(msisdn: str, key: bytes) -> str:
    return hmac.new(key, msisdn.encode("ascii"), hashlib.sha256).hexdigest()


def mask(msisdn: str) -> str:
    return f"{msisdn[:3]}****{msisdn[-4:]}"


def mask_free_text(text: str) -> str:
    """Mask every phone-like number in free text (complaint summaries, notes, log lines)."""
    return re.sub(FREE_TEXT_PHONE, r"\1****\2", text)


def bind_key(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """Bind the HMAC's padded keys as session variables used by ``customer_key_sql``."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    con.execute("SET VARIABLE manyi_ipad = ?::BLOB", [bytes(b ^ 0x36 for b in key)])
    con.execute("SET VARIABLE manyi_opad = ?::BLOB", [bytes(b ^ 0x5C for b in key)])


def normalised_sql(expr: str) -> str:
    """SQL: the 11-digit number, or NULL when the value is not a mobile number."""
    compact = f"regexp_replace({expr}, '[\\s-]', '', 'g')"
    # Most values are already the bare number: they skip the two rewriting regexes.
    return (
        f"CASE WHEN regexp_full_match({expr}, '1[0-9]{{10}}') THEN {expr} "
        f"ELSE nullif(regexp_extract({compact}, '{PHONE_PATTERN}', 1), '') END"
    )


def customer_key_sql(msisdn: str) -> str:
    inner = f"unhex(sha256(getvariable('manyi_ipad') || encode({msisdn})))"
    return f"sha256(getvariable('manyi_opad') || {inner})"


# The run's cache of pseudonyms: number (BIGINT) → customer_key. A TEMP table of the
# ingesting connection, gone when it closes: it holds plain numbers exactly as long as the
# text being parsed does, and saves one HMAC (four SHA-256 blocks) per row.
KEY_CACHE = "__customer_keys"


def remember_keys(con: duckdb.DuckDBPyConnection, numbers: str) -> None:
    """Add the pseudonym of every number of the SQL query ``numbers`` (one BIGINT column
    ``n``) that the run's cache does not hold yet."""
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {KEY_CACHE} (n BIGINT, customer_key VARCHAR)")
    con.execute(
        f"""
        INSERT INTO {KEY_CACHE}
        SELECT n, {customer_key_sql("CAST(n AS VARCHAR)")}
        FROM (SELECT DISTINCT n FROM ({numbers}) WHERE n IS NOT NULL)
        ANTI JOIN {KEY_CACHE} USING (n)
        """
    )


def masked_sql(msisdn: str) -> str:
    return f"substr({msisdn}, 1, 3) || '****' || substr({msisdn}, 8, 4)"


def masked_raw_sql(expr: str) -> str:
    """SQL: a raw phone value that did not validate, masked all the same for the quarantine."""
    digits = f"regexp_replace({expr}, '[^0-9]', '', 'g')"
    return (
        f"CASE WHEN {expr} IS NULL THEN NULL WHEN length({digits}) >= 8 "
        f"THEN substr({digits}, 1, 3) || '****' || right({digits}, 4) ELSE '****' END"
    )


def mask_free_text_sql(expr: str) -> str:
    return f"regexp_replace({expr}, '{FREE_TEXT_PHONE}', '\\1****\\2', 'g')"
