"""pipelines.portable_sql: each DuckDB-only idiom of stack.md is caught, its portable form
passes, and the project's models pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.portable_sql import check_paths, check_text, main
from pipelines.settings import DBT_PROJECT_DIR

# (rule, DuckDB-only SQL, the portable way to say it)
CASES = [
    ("PS01", "select received_at::date as d", "select cast(received_at as date) as d"),
    (
        "PS02",
        "select date_diff('second', a, b)",
        "select cast({{ dbt.datediff('a', 'b', 'millisecond') }} as double) / 1000",
    ),
    ("PS02", "select datediff('day', a, b)", "select {{ dbt.datediff('a', 'b', 'day') }}"),
    ("PS02", "select date_add(a, interval 1 day)", "select {{ dbt.dateadd('day', 1, 'a') }}"),
    ("PS03", "select epoch(b) - epoch(a)", "select {{ dbt.datediff('a', 'b', 'second') }}"),
    ("PS03", "select epoch_ms(a)", "select a"),
    (
        "PS04",
        "select strftime(a, '%Y-%m')",
        "select cast({{ dbt.date_trunc('month', 'a') }} as date)",
    ),
    ("PS04", "select strptime(t, '%Y')", "select cast(t as timestamp)"),
    ("PS05", "select minutes // 30", "select floor(minutes / 30)"),
    ("PS06", "select list_value(1, 2)", "select 1 as one, 2 as two"),
    ("PS06", "select struct_pack(a := 1)", "select 1 as a"),
    ("PS06", "select unnest(xs) from t", "select x from t"),
    ("PS06", "select list(x) from t group by g", "select count(x) from t group by g"),
    (
        "PS07",
        "select * from t qualify row_number() over (order by a) = 1",
        "select * from (select *, row_number() over (order by a) as r from t) as x where r = 1",
    ),
    ("PS08", "select cast(a as varchar)", "select cast(a as {{ dbt.type_string() }})"),
    ("PS08", "select cast(a as text)", "select cast(a as {{ dbt.type_string() }})"),
    ("PS09", "select sum(is_answered)", "select sum(case when is_answered then 1 else 0 end)"),
    ("PS09", "select sum(wait_seconds <= 15)", "select sum(case when w <= 15 then 1 else 0 end)"),
    ("PS09", "select sum(a is not null)", "select count(a)"),
    ("PS10", "select a, count(*) from t group by all", "select a, count(*) from t group by a"),
    ("PS10", "select * from t order by all", "select a from t order by a"),
    ("PS10", "select * exclude (a) from t", "select b from t"),
    ("PS11", "select cast(a as {{ dbt.type_float() }})", "select cast(a as double)"),
    ("PS12", "select {{ dbt.safe_cast('a', 'int') }}", "select try_cast(a as int)"),
    ("PS13", "select cast(a / b as integer)", "select cast(floor(a / nullif(b, 0)) as integer)"),
    ("PS13", "select cast((s + 1) / 2 as int)", "select cast(round((s + 1) / 2) as int)"),
    ("PS14", "select chr(12288)", "select chr(32)"),
    ("PS15", "select handled / answered", "select handled / nullif(answered, 0)"),
    ("PS16", "select * from generate_series(1, 10)", "{{ dbt.generate_series(10) }}"),
    ("PS16", "select string_agg(a, ',')", "{{ dbt.listagg('a', \"','\") }}"),
    ("PS17", "select ms / 1000.0", "select cast(ms as double) / 1000"),
    ("PS17", "select ms / {{ minutes * 60 }}.0", "select cast(ms as double) / {{ minutes * 60 }}"),
]


def codes(sql: str) -> list[str]:
    return [finding.rule.code for finding in check_text(sql)]


@pytest.mark.parametrize(("code", "duckdb_only", "portable"), CASES)
def test_idiom_is_caught_and_its_portable_form_passes(
    code: str, duckdb_only: str, portable: str
) -> None:
    assert code in codes(duckdb_only)
    assert codes(portable) == []


def test_every_rule_has_a_case() -> None:
    from pipelines.portable_sql import RULES

    assert {rule.code for rule in RULES} == {code for code, _, _ in CASES}


def test_comments_are_not_checked() -> None:
    sql = "{# a::b, date_diff( #}\n-- qualify, //\n/* sum(is_x) */\nselect 1 as one"
    assert codes(sql) == []


def test_finding_points_at_line_and_column(tmp_path: Path) -> None:
    model = tmp_path / "m.sql"
    model.write_text("select\n    a,\n    b::date\nfrom t\n", encoding="utf-8")
    [finding] = check_paths([tmp_path])
    assert (finding.path, finding.line, finding.column, finding.rule.code) == (
        model,
        3,
        6,
        "PS01",
    )
    assert str(finding).startswith(f"{model}:3:6: PS01 ")


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "clean.sql").write_text("select 1 as one\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    (tmp_path / "dirty.sql").write_text("select a // 2 from t\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 1
    assert "dirty.sql:1:10: PS05" in capsys.readouterr().out
    assert main([]) == 2


def test_the_project_models_are_portable() -> None:
    assert [str(f) for f in check_paths([DBT_PROJECT_DIR / "models"])] == []
