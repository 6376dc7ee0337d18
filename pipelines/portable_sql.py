"""Reject DuckDB-only SQL in dbt models: ``python -m pipelines.portable_sql dbt_project/models``.

The models run on DuckDB and on Spark (docs/spark.md); stack.md lists what keeps them
portable. This check reads the model files as written (SQL and Jinja together, comments
removed) and reports each idiom that only DuckDB understands, or that the two engines
answer differently, with the portable form to use instead. It is a lint, not a parser: the
parity tests (tests/spark) remain the proof; this catches the usual slips before them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Comments are removed before checking, keeping line breaks so that lines still count.
_COMMENT = re.compile(r"\{#.*?#\}|/\*.*?\*/|--[^\n]*", re.DOTALL)


@dataclass(frozen=True)
class Rule:
    code: str
    pattern: re.Pattern[str]
    advice: str
    # Narrows a match where a pattern alone cannot say it (e.g. "holds a division").
    applies: Callable[[re.Match[str]], bool] = lambda match: True


def _rule(
    code: str, pattern: str, advice: str, applies: Callable[[re.Match[str]], bool] | None = None
) -> Rule:
    compiled = re.compile(pattern, re.IGNORECASE)
    return Rule(code, compiled, advice, applies) if applies else Rule(code, compiled, advice)


# An argument list with up to two levels of nested parentheses.
_ARGS = r"(?:[^()]|\((?:[^()]|\([^()]*\))*\))*?"
_ROUNDED = re.compile(rf"\b(round|floor|ceil|ceiling)\s*\({_ARGS}\)", re.IGNORECASE)


def _unrounded_division(match: re.Match[str]) -> bool:
    return "/" in _ROUNDED.sub("", match.group("value"))


RULES = (
    _rule("PS01", r"::", "`::` casts are DuckDB syntax: use cast(x as type)"),
    _rule(
        "PS02",
        r"(?<!dbt\.)\b(date_?diff|date_?add|date_sub)\s*\(",
        "date arithmetic differs by engine: use dbt.datediff / dbt.dateadd",
    ),
    _rule(
        "PS03",
        r"\bepoch(_ms|_us|_ns)?\s*\(",
        "epoch() is DuckDB-only: use dbt.datediff(..., 'millisecond')",
    ),
    _rule(
        "PS04",
        r"\bstr[fp]time\s*\(",
        "strftime/strptime are DuckDB-only: use dbt.date_trunc, cast(... as date), dbt.datediff",
    ),
    _rule("PS05", r"//", "`//` (integer division) is DuckDB-only: use floor(a / b)"),
    _rule(
        "PS06",
        r"\b(list|struct|map)_\w+\s*\(|\b(unnest|list|array_length|list_value)\s*\(",
        "list/struct functions are DuckDB-only: keep rows, join and aggregate instead",
    ),
    _rule("PS07", r"\bqualify\b", "QUALIFY is DuckDB-only: filter a window in a subquery"),
    _rule(
        "PS08",
        r"\bvarchar\b|\bas\s+text\b",
        "varchar/text are not Spark types: use {{ dbt.type_string() }}",
    ),
    _rule(
        "PS09",
        r"\bsum\s*\(\s*(?!case\b)[^()]*?(\s(and|or|is|in|between|like)\s|[<>=]|\bnot\s)"
        r"|\bsum\s*\(\s*(is|has|within)_\w+\s*\)",
        "Spark cannot sum a boolean: sum(case when ... then 1 else 0 end)",
    ),
    _rule(
        "PS10",
        r"\b(group|order)\s+by\s+all\b|\*\s*(exclude|replace)\s*\(",
        "GROUP/ORDER BY ALL and * EXCLUDE/REPLACE are DuckDB-only: name the columns",
    ),
    _rule(
        "PS11",
        r"\btype_float\s*\(",
        "dbt.type_float() is FLOAT (4 bytes) on Spark: cast to double",
    ),
    _rule(
        "PS12",
        r"\bsafe_cast\s*\(",
        "dbt.safe_cast is a plain cast on DuckDB: use try_cast",
    ),
    _rule(
        "PS13",
        rf"\bcast\s*\((?P<value>{_ARGS})\bas\s+(int|integer|bigint|smallint|tinyint)\s*\)",
        "a quotient cast to an integer rounds on DuckDB and truncates on Spark: "
        "say round(...) or floor(...)",
        _unrounded_division,
    ),
    _rule(
        "PS14",
        r"\bchr\s*\(\s*(12[89]|1[3-9]\d|[2-9]\d\d|\d{4,})\s*\)",
        "chr() above 127 differs on Spark: write the character in a literal",
    ),
    _rule(
        "PS15",
        r"/\s*(?!nullif\b)[a-z_][\w.]*\s*(?![\w.(])",
        "division by a column: divide by nullif(column, 0) (DuckDB and Spark differ at 0)",
    ),
    _rule(
        "PS17",
        r"/\s*(\d+\.\d+|\{\{[^}]*\}\}\.\d)",
        "dividing by a decimal literal gives a DECIMAL on Spark (DOUBLE on DuckDB): "
        "cast the dividend to double and divide by an integer",
    ),
    _rule(
        "PS16",
        r"(?<!dbt\.)\b(generate_series|string_agg|group_concat|regexp_matches)\s*\(",
        "DuckDB-only function: use dbt.generate_series / dbt.listagg / rlike",
    ),
)


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    column: int
    rule: Rule

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.rule.code} {self.rule.advice}"


def _without_comments(text: str) -> str:
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def check_text(text: str, path: Path = Path("<text>")) -> list[Finding]:
    """Every non-portable idiom in one model's text, in order of position."""
    code = _without_comments(text)
    found = []
    for rule in RULES:
        for match in rule.pattern.finditer(code):
            if not rule.applies(match):
                continue
            line = code.count("\n", 0, match.start()) + 1
            column = match.start() - (code.rfind("\n", 0, match.start()) + 1) + 1
            found.append(Finding(path, line, column, rule))
    return sorted(found, key=lambda f: (f.line, f.column, f.rule.code))


def sql_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.sql"))
        else:
            yield path


def check_paths(paths: Iterable[Path]) -> list[Finding]:
    return [f for p in sql_files(paths) for f in check_text(p.read_text(encoding="utf-8"), p)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m pipelines.portable_sql PATH...", file=sys.stderr)
        return 2
    findings = check_paths(Path(a) for a in args)
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
