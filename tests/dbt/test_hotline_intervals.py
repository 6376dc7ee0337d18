"""marts.hotline_intervals and the portable-SQL Erlang C, held against kpis.md's vectors and
against pipelines.erlang, on hand-made calls and shifts of 2025-04-01 (as_of 12:00).

09:00  billing: 360 calls, AHT 240 s (48 Erlangs), 55 agents logged in all interval.
10:00  data: 100 calls, AHT 180 s (10 Erlangs), 13 agents.
11:00  billing 20 calls AHT 180 s (2 Erlangs) and vas 10 calls AHT 360 s (2 Erlangs);
       5 agents all interval + 1 from 11:15 = 5.5 agents, shared 2.75 / 2.75.
11:30  no calls; the 11:15 agent until 13:00, cut at as_of: 1 agent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from dbt_harness import DbtBuild, load_rows

from pipelines import erlang

AS_OF = "2025-04-01 12:00:00"
LOADED_AT = datetime(2025, 4, 1, 12, 30)
MASKED = {"msisdn_masked": "139****0000"}


def calls(prefix: str, start: str, count: int, queue: str, aht: int, spacing: int) -> list:
    """`count` agent requests `spacing` s apart, each answered after 10 s and handled `aht` s."""
    rows = []
    for n in range(count):
        begin = datetime.fromisoformat(start) + timedelta(seconds=n * spacing)
        answered = begin + timedelta(seconds=10)
        rows.append(
            {
                "call_id": f"{prefix}{n:03d}",
                "customer_key": f"{prefix}{n:03d}",
                **MASKED,
                "call_start_at": begin,
                "ivr_outcome": "agent_request",
                "queue": queue,
                "queued_at": begin,
                "answered_at": answered,
                "agent_id": "S1",
                "call_end_at": answered + timedelta(seconds=aht),
                "wrapup_seconds": 0,
            }
        )
    return rows


def shifts(prefix: str, count: int, start: str, end: str) -> list:
    return [
        {
            "shift_id": f"{prefix}{n}",
            "staff_id": f"{prefix}{n}",
            "shift_start_at": datetime.fromisoformat(start),
            "shift_end_at": datetime.fromisoformat(end),
        }
        for n in range(count)
    ]


ROWS = {
    "hotline_calls": [
        *calls("v1-", "2025-04-01 09:00:00", 360, "billing", 240, 5),
        *calls("v2-", "2025-04-01 10:00:00", 100, "data", 180, 18),
        *calls("m1-", "2025-04-01 11:00:00", 20, "billing", 180, 60),
        *calls("m2-", "2025-04-01 11:00:30", 10, "vas", 360, 120),
    ],
    "agent_shifts": [
        *shifts("a", 55, "2025-04-01 09:00:00", "2025-04-01 09:30:00"),
        *shifts("b", 13, "2025-04-01 10:00:00", "2025-04-01 10:30:00"),
        *shifts("c", 5, "2025-04-01 11:00:00", "2025-04-01 11:30:00"),
        *shifts("d", 1, "2025-04-01 11:15:00", "2025-04-01 13:00:00"),
    ],
}


@pytest.fixture(scope="module")
def staffing(dbt_build_factory: Callable[[str], DbtBuild]) -> DbtBuild:
    build = dbt_build_factory("hotline_intervals")
    load_rows(build.database, ROWS, LOADED_AT, "calls.csv")
    build.run("build", "--select", "+hotline_intervals", as_of=AS_OF)
    return build


def interval(build: DbtBuild, start: str, queue: str) -> dict:
    with_names = build.query(
        "SELECT * FROM marts.hotline_intervals "
        "WHERE interval_start = CAST(? AS TIMESTAMP) AND queue = ?",
        (start, queue),
    )
    assert len(with_names) == 1
    columns = [
        row[0]
        for row in build.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' "
            "AND table_name = 'hotline_intervals' ORDER BY ordinal_position"
        )
    ]
    return dict(zip(columns, with_names[0], strict=True))


def test_first_vector(staffing: DbtBuild) -> None:
    row = interval(staffing, "2025-04-01 09:00:00", "billing")
    assert (row["offered_calls"], row["answered_calls"], row["answered_within_15s"]) == (
        360,
        360,
        360,
    )
    assert row["mean_handle_seconds"] == 240
    assert row["offered_erlangs"] == pytest.approx(48)
    assert row["agents_on_shift"] == pytest.approx(55)
    assert row["expected_wait_probability"] == pytest.approx(0.238701, abs=5e-7)
    assert row["expected_answer_15s"] == pytest.approx(0.845883, abs=5e-7)
    assert row["expected_service_level"] == pytest.approx(0.866796, abs=5e-7)
    assert row["expected_asa_seconds"] == pytest.approx(8.184, abs=5e-4)
    assert row["agents_needed"] == 54
    assert row["agents_gap"] == pytest.approx(1)
    # 360 × 240 s handled over 55 × 1 800 s logged in.
    assert row["occupancy"] == pytest.approx(86400 / 99000)


def test_second_vector(staffing: DbtBuild) -> None:
    row = interval(staffing, "2025-04-01 10:00:00", "data")
    assert row["offered_erlangs"] == pytest.approx(10)
    assert row["agents_needed"] == 14
    assert row["expected_service_level"] == pytest.approx(0.7956, abs=5e-5)
    assert row["agents_gap"] == pytest.approx(-1)


def test_agents_are_shared_by_offered_load(staffing: DbtBuild) -> None:
    pooled = interval(staffing, "2025-04-01 11:00:00", "all")
    billing = interval(staffing, "2025-04-01 11:00:00", "billing")
    vas = interval(staffing, "2025-04-01 11:00:00", "vas")
    assert pooled["agents_on_shift"] == pytest.approx(5.5)
    assert billing["agents_on_shift"] == pytest.approx(2.75)
    assert vas["agents_on_shift"] == pytest.approx(2.75)
    # Pooled: 30 calls, 7 200 s handled, AHT 240 s, 4 Erlangs.
    assert pooled["offered_calls"] == 30
    assert pooled["offered_erlangs"] == pytest.approx(4)
    assert pooled["agents_needed"] == erlang.agents_needed(4, 240) == 7
    assert billing["agents_needed"] == erlang.agents_needed(2, 180) == 4
    # 2 whole agents for 2 Erlangs never drain the queue.
    assert (billing["expected_wait_probability"], billing["expected_service_level"]) == (1, 0)
    assert billing["expected_asa_seconds"] is None


def test_interval_with_agents_and_no_calls(staffing: DbtBuild) -> None:
    row = interval(staffing, "2025-04-01 11:30:00", "all")
    assert (row["offered_calls"], row["agents_needed"], row["occupancy"]) == (0, 0, 0)
    assert row["agents_on_shift"] == pytest.approx(1)
    assert staffing.query(
        "SELECT count(*) FROM marts.hotline_intervals WHERE interval_start >= '2025-04-01 12:00'"
    ) == [(0,)]


def test_every_row_agrees_with_the_python_reference(staffing: DbtBuild) -> None:
    rows = staffing.query(
        "SELECT offered_erlangs, planning_aht_seconds, agents_on_shift, agents_needed, "
        "expected_service_level FROM marts.hotline_intervals WHERE offered_calls > 0"
    )
    assert len(rows) == 7
    for traffic, aht, on_shift, needed, level in rows:
        assert needed == erlang.agents_needed(traffic, aht)
        assert level == pytest.approx(
            erlang.service_level(int(on_shift), traffic, aht, 20), abs=1e-9
        )


LOADS = [(0.5, 60), (48, 240), (1500, 300), (4000, 30)]


def show(build: DbtBuild, sql: str) -> list[dict]:
    """Rows of `dbt show --inline` against the build's warehouse."""
    out = build.run("show", "--quiet", "--output", "json", "--inline", sql, as_of=AS_OF)
    return json.loads(out[out.index("{") :])["show"]


def test_sql_macro_matches_python_on_small_and_large_loads(staffing: DbtBuild) -> None:
    """The macro straight through `dbt show`, up to thousands of Erlangs (no overflow)."""
    loads = " union all ".join(
        f"select {n} as k, {traffic} as traffic, {aht} as aht, 0 as staffed_agents"
        for n, (traffic, aht) in enumerate(LOADS)
    )
    sql = (
        f"with loads as ({loads}), "
        "curve as ({{ erlang_c_curve('loads', ['k'], "
        "ref('int_hotline_erlang__ln_factorials')) }}) "
        "select c.k, min(c.agents) as needed from curve as c "
        "inner join loads as l on c.k = l.k where "
        "{{ erlang_service_level('c.wait_probability', 'c.agents', 'c.traffic', 'l.aht', 20) }}"
        " >= 0.8 group by c.k order by c.k"
    )
    shown = show(staffing, sql)
    assert [row["needed"] for row in shown] == [
        erlang.agents_needed(traffic, aht) for traffic, aht in LOADS
    ]


def test_erlang_answers_are_computed_once_per_load(
    staffing: DbtBuild, dbt_build_factory: Callable[[str], DbtBuild]
) -> None:
    """int_hotline_erlang__outcomes holds one row per distinct load: 09:00 and 10:00 have
    the same load on their queue and 'all' rows, 11:00 three (billing, vas, all), so 7
    intervals with calls need 5. A second delivery adds 10 calls at 11:30 (one new load for
    billing and all) and one call at 10:00 (a changed load): the incremental run appends
    those two and keeps the old 10:00 one; the mart equals a full refresh's. The data
    queue, alone at 10:00, gets all 13 agents (13 × 10.1 / 10.1 is not 13 in floating
    point, 13 × (10.1 / 10.1) is)."""
    outcomes = "SELECT count(*) FROM intermediate.int_hotline_erlang__outcomes"
    assert staffing.query(outcomes) == [(5,)]

    build = dbt_build_factory("hotline_intervals_incremental")
    load_rows(build.database, ROWS, LOADED_AT, "calls.csv")
    build.run("build", "--select", "+hotline_intervals", as_of=AS_OF)
    later = {
        "hotline_calls": [
            *calls("n1-", "2025-04-01 11:30:00", 10, "billing", 180, 60),
            *calls("n2-", "2025-04-01 10:20:00", 1, "data", 180, 60),
        ]
    }
    load_rows(build.database, later, LOADED_AT + timedelta(hours=1), "later.csv")
    build.run("build", "--select", "+hotline_intervals", as_of=AS_OF)
    assert build.query(outcomes) == [(7,)]
    incremental = build.rows("marts.hotline_intervals")
    assert len(incremental) == 9
    assert build.query(
        "SELECT agents_on_shift, agents_needed FROM marts.hotline_intervals "
        "WHERE interval_start = CAST('2025-04-01 10:00:00' AS TIMESTAMP) AND queue = 'data'"
    ) == [(13.0, 14)]

    build.run("build", "--select", "+hotline_intervals", "--full-refresh", as_of=AS_OF)
    assert build.query(outcomes) == [(6,)]
    assert build.rows("marts.hotline_intervals") == incremental
