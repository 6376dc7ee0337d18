"""Erlang C queueing formulas for hotline staffing (kpis.md, "Staffing").

The dbt mart ``marts.hotline_intervals`` computes the same figures in portable SQL
(``macros/erlang_*.sql``); this module is the independent reference the tests hold
the SQL against, and a tool for ad-hoc what-if questions.

Traffic is in Erlangs: calls offered in an interval × mean handle time ÷ interval length.
"""

from __future__ import annotations

import math

HALF_HOUR_SECONDS = 1800


def traffic_erlangs(
    calls: float, aht_seconds: float, interval_seconds: float = HALF_HOUR_SECONDS
) -> float:
    """Offered load in Erlangs."""
    return calls * aht_seconds / interval_seconds


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability, by the recursion B(k) = A·B(k-1) / (k + A·B(k-1)).

    The recursion never forms A^N or N!, so it stays exact for thousands of agents.
    """
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a call waits (P(wait)); 1 when the agents cannot carry the load."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = erlang_b(agents, traffic)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(agents: int, traffic: float, aht_seconds: float, target_seconds: float) -> float:
    """Share of calls answered within ``target_seconds``."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    wait = erlang_c(agents, traffic)
    return 1 - wait * math.exp(-(agents - traffic) * target_seconds / aht_seconds)


def average_speed_of_answer(agents: int, traffic: float, aht_seconds: float) -> float:
    """Mean wait over all calls, in seconds (infinite when the queue cannot drain)."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return erlang_c(agents, traffic) * aht_seconds / (agents - traffic)


def agents_needed(
    traffic: float,
    aht_seconds: float,
    target_seconds: float = 20,
    target_level: float = 0.80,
) -> int:
    """Fewest agents that answer ``target_level`` of calls within ``target_seconds``."""
    if traffic <= 0:
        return 0
    agents = math.floor(traffic) + 1
    while service_level(agents, traffic, aht_seconds, target_seconds) < target_level:
        agents += 1
    return agents
