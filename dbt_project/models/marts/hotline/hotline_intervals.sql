{#- Staffing per half hour (kpis.md, "Staffing"): one row per interval and queue with offered
    agent requests, plus one row per interval with queue = 'all' for the whole hotline,
    including intervals where agents were logged in but no call came.

    agent_shifts carries no queue, so the logged-in agents are real only on the 'all' row.
    Each queue row gets a share of them in proportion to its offered load in Erlangs: the
    split a planner uses to compare a queue's Erlang C requirement with the staff it got.
    The 'all' row's requirement pools every queue (agents who take any call), so it is lower
    than the sum of the queue rows: that difference is the pooling gain.

    Agents are counted in full-time equivalents: logged-in seconds in the interval ÷ its
    length, so a shift starting at 09:15 counts as half an agent in the 09:00 interval.
    Calls land in the interval of call_start_at (the KPI anchor); a call's whole handle time
    counts in that interval. -#}
{%- set minutes = var('hotline_interval_minutes') %}

{#- Loads come from int_hotline_intervals__loads, Erlang C's answers for them from
    int_hotline_erlang__outcomes (computed once per load, under this run's targets). -#}
select
    l.interval_start,
    cast(l.interval_start as date) as interval_date,
    l.queue,
    l.offered_calls,
    l.answered_calls,
    l.answered_within_15s,
    l.abandoned_calls,
    l.handle_seconds,
    l.mean_handle_seconds,
    l.planning_aht_seconds,
    l.offered_erlangs,
    l.agents_on_shift,
    l.handle_seconds / nullif(l.agents_on_shift * {{ minutes * 60 }}, 0) as occupancy,
    case when l.offered_erlangs > 0 then o.agents_needed else 0 end as agents_needed,
    l.agents_on_shift
    - case when l.offered_erlangs > 0 then o.agents_needed else 0 end as agents_gap,
    o.expected_wait_probability,
    o.expected_service_level,
    o.expected_answer_15s,
    o.expected_asa_seconds
from {{ ref('int_hotline_intervals__loads') }} as l
left join {{ ref('int_hotline_erlang__outcomes') }} as o
    on
        l.offered_erlangs > 0
        and l.offered_erlangs = o.traffic
        and l.planning_aht_seconds = o.planning_aht_seconds
        and l.staffed_agents = o.staffed_agents
        and o.target_seconds = {{ var('hotline_staffing_target_seconds') }}
        and o.target_level = {{ var('hotline_staffing_target_level') }}
        and o.answer_seconds = {{ var('hotline_answer_seconds') }}
