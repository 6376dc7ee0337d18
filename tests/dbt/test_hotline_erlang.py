"""pipelines.erlang against the Erlang C test vectors of kpis.md ("Staffing")."""

from __future__ import annotations

import math

import pytest

from pipelines import erlang

# 360 calls per 30 min at AHT 240 s = 48 Erlangs.
TRAFFIC = erlang.traffic_erlangs(360, 240)


def test_traffic() -> None:
    assert TRAFFIC == 48
    assert erlang.traffic_erlangs(100, 180) == 10


def test_first_vector_at_55_agents() -> None:
    assert erlang.erlang_c(55, TRAFFIC) == pytest.approx(0.238701, abs=5e-7)
    assert erlang.service_level(55, TRAFFIC, 240, 15) == pytest.approx(0.845883, abs=5e-7)
    assert erlang.service_level(55, TRAFFIC, 240, 20) == pytest.approx(0.866796, abs=5e-7)
    assert erlang.average_speed_of_answer(55, TRAFFIC, 240) == pytest.approx(8.184, abs=5e-4)


def test_agents_needed_for_80_20() -> None:
    assert erlang.agents_needed(TRAFFIC, 240) == 54
    assert erlang.service_level(53, TRAFFIC, 240, 20) < 0.80
    assert erlang.agents_needed(10, 180) == 14
    assert erlang.service_level(13, 10, 180, 20) == pytest.approx(0.7956, abs=5e-5)


def test_overloaded_and_idle_queues() -> None:
    assert erlang.erlang_c(48, TRAFFIC) == 1
    assert erlang.service_level(48, TRAFFIC, 240, 20) == 0
    assert math.isinf(erlang.average_speed_of_answer(40, TRAFFIC, 240))
    assert erlang.agents_needed(0, 240) == 0
    assert erlang.erlang_c(3, 0) == 0


def test_large_loads_stay_finite() -> None:
    # 3 000 Erlangs: A^N / N! alone would overflow a double; the recursion does not.
    needed = erlang.agents_needed(3000, 300)
    assert 3000 < needed < 3100
    assert 0 < erlang.erlang_c(needed, 3000) < 1
