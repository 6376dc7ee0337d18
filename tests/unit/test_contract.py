"""The contract declaration against the spec's own tables and the generated docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.contract import TABLE_BY_NAME, TABLES, Kind, to_markdown
from pipelines.settings import REPO_ROOT

# The spec lives beside the repo on the engineers' machines, not in a CI clone: the tests
# read a copy kept in the repo, and check the copy against the spec wherever both exist.
SPEC = Path(__file__).parents[1] / "fixtures" / "spec" / "data-contract.md"
SHARED_SPEC = REPO_ROOT.parent / "shared" / "spec" / "data-contract.md"
KIND_WORDS = {
    "text": Kind.TEXT,
    "enum": Kind.ENUM,
    "date": Kind.DATE,
    "month": Kind.MONTH,
    "timestamp": Kind.TIMESTAMP,
    "money": Kind.MONEY,
    "int": Kind.INT,
    "bool": Kind.BOOL,
    "phone": Kind.PHONE,
}


def spec_tables() -> dict[str, list[tuple[str, str, str]]]:
    """{table: [(column, type, rule)]} parsed from the spec's markdown tables."""
    tables: dict[str, list[tuple[str, str, str]]] = {}
    current = None
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^\*\*([a-z_]+)\*\*", line)
        if heading:
            current = heading.group(1)
            tables[current] = []
        elif current and line.startswith("| ") and not line.startswith(("| column", "| ---")):
            cells = [c.strip() for c in line.strip("|").split("|")]
            tables[current].append((cells[0], cells[1], cells[2]))
        elif current and not line.strip() and tables[current]:
            current = None
    return tables


@pytest.fixture(scope="module")
def spec() -> dict[str, list[tuple[str, str, str]]]:
    return spec_tables()


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason=f"no spec beside the repo at {SHARED_SPEC}")
def test_the_copy_is_the_current_spec():
    assert SPEC.read_bytes() == SHARED_SPEC.read_bytes(), (
        f"the spec changed: copy {SHARED_SPEC} to {SPEC} and follow it"
    )


def test_same_tables_as_the_spec(spec):
    assert sorted(spec) == sorted(t.name for t in TABLES)
    assert len(TABLES) == 16


def _enum_values(rule: str) -> list[str]:
    """Backticked values of a rule; after its last colon when it names a condition first."""
    return re.findall(r"`([^`]+)`", rule.rsplit(":", 1)[-1] if ":" in rule else rule)


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_columns_types_keys_and_enums_match_the_spec(spec, table):
    declared = TABLE_BY_NAME[table]
    assert [c for c, _, _ in spec[table]] == [c.name for c in declared.columns]
    for name, kind_word, rule in spec[table]:
        col = declared.column(name)
        assert col.kind is KIND_WORDS[kind_word], name
        assert (name in declared.primary_key) == ("PK" in rule), name
        # An enumeration listed without "opt" is required: a closed list has no empty value.
        unconditionally_required = (rule.startswith("req") and not rule.startswith("req when")) or (
            kind_word == "enum" and rule.startswith(("`", "as "))
        )
        assert (col.required or name in declared.primary_key) == (
            unconditionally_required or "PK" in rule
        ), name
        if kind_word == "enum":
            expected = _enum_values(rule) or list(
                TABLE_BY_NAME["bill_items"].column("item_code").values
            )
            assert list(col.values) == expected, name


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_every_conditional_rule_of_the_spec_is_declared(spec, table):
    declared = TABLE_BY_NAME[table]
    ruled = {r.column for r in declared.rules}
    for name, _, rule in spec[table]:
        conditional = "req when" in rule or "≥" in rule or re.search(r"> ", rule)
        conditional = conditional or "exactly one of" in rule
        if conditional:
            assert name in ruled, f"{table}.{name}: {rule}"


def test_threshold_pct_is_limited_to_the_spec_values():
    assert TABLE_BY_NAME["data_usage_alerts"].column("threshold_pct").values == ("50", "80", "100")


def test_every_rule_names_a_column_of_its_table():
    for table in TABLES:
        for rule in table.rules:
            assert rule.column in [c.name for c in table.columns]


def test_docs_contract_is_generated_from_the_declaration():
    assert (REPO_ROOT / "docs" / "contract.md").read_text(encoding="utf-8") == to_markdown()
