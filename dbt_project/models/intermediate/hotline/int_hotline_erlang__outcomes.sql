{#- Erlang C's answer for every staffing load int_hotline_intervals__loads has held: a load is
    its offered Erlangs, planning AHT and whole agents on shift, under the staffing targets
    of the run (vars hotline_staffing_target_seconds, hotline_staffing_target_level,
    hotline_answer_seconds). The answer depends on nothing else, so it is computed once:
    a run appends the loads it has not stored yet (macro memo_config), and the daily build
    no longer walks a year of Erlang curves (4 M curve points at city scale) again. A load
    no interval has any more stays unused; a change of target is a new key.

    agents_needed: fewest agents with service level >= the target level within the target
    seconds; expected_*: the predictions with the agents on shift (a queue with no more
    agents than Erlangs never drains: every call waits, none within the limit). -#}
{{ config(**memo_config()) }}
{%- set target_seconds = var('hotline_staffing_target_seconds') %}
{%- set target_level = var('hotline_staffing_target_level') %}
{%- set answer_seconds = var('hotline_answer_seconds') %}

with targets as (
    select
        {{ target_seconds }} as target_seconds,
        {{ target_level }} as target_level,
        {{ answer_seconds }} as answer_seconds
),

loads as (
    select distinct
        offered_erlangs as traffic,
        planning_aht_seconds,
        staffed_agents
    from {{ ref('int_hotline_intervals__loads') }}
    where offered_erlangs > 0
),

new_loads as (
    select
        l.traffic,
        l.planning_aht_seconds,
        l.staffed_agents,
        row_number() over (
            order by l.traffic, l.planning_aht_seconds, l.staffed_agents
        ) as load_id
    from loads as l
    {%- if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as held
        cross join targets as t
        where
            held.traffic = l.traffic
            and held.planning_aht_seconds = l.planning_aht_seconds
            and held.staffed_agents = l.staffed_agents
            and held.target_seconds = t.target_seconds
            and held.target_level = t.target_level
            and held.answer_seconds = t.answer_seconds
    )
    {%- endif %}
),

curve as (
    {{ erlang_c_curve('new_loads', ['load_id'], ref('int_hotline_erlang__ln_factorials')) }}
),

curve_levels as (
    select
        c.load_id,
        c.agents,
        c.wait_probability,
        {{ erlang_service_level(
            'c.wait_probability', 'c.agents', 'c.traffic', 'l.planning_aht_seconds', target_seconds
        ) }} as service_level,
        {{ erlang_service_level(
            'c.wait_probability', 'c.agents', 'c.traffic', 'l.planning_aht_seconds', answer_seconds
        ) }} as answer_level,
        {{ erlang_asa('c.wait_probability', 'c.agents', 'c.traffic', 'l.planning_aht_seconds') }}
            as asa_seconds
    from curve as c
    inner join new_loads as l on c.load_id = l.load_id
),

needed as (
    select
        load_id,
        min(agents) as agents_needed
    from curve_levels
    where service_level >= {{ target_level }}
    group by load_id
)

select
    l.traffic,
    l.planning_aht_seconds,
    l.staffed_agents,
    t.target_seconds,
    t.target_level,
    t.answer_seconds,
    n.agents_needed,
    e.asa_seconds as expected_asa_seconds,
    coalesce(e.wait_probability, 1) as expected_wait_probability,
    coalesce(e.service_level, 0) as expected_service_level,
    coalesce(e.answer_level, 0) as expected_answer_15s
from new_loads as l
cross join targets as t
left join needed as n on l.load_id = n.load_id
left join curve_levels as e
    on
        l.load_id = e.load_id
        and l.staffed_agents = e.agents
