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
{%- set target_seconds = var('hotline_staffing_target_seconds') %}
{%- set target_level = var('hotline_staffing_target_level') %}
{%- set answer_seconds = var('hotline_answer_seconds') %}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

requests as (
    select
        {{ erlang_interval_start('call_start_at', minutes) }} as interval_start,
        queue,
        is_answered,
        within_15s,
        is_abandoned,
        handle_seconds
    from {{ ref('int_hotline_calls__facts') }}
    where is_agent_request
),

{# Per queue, and for the whole hotline under queue = 'all'. #}
requests_by_queue as (
    select
        interval_start,
        queue,
        is_answered,
        within_15s,
        is_abandoned,
        handle_seconds
    from requests
    union all
    select
        interval_start,
        'all' as queue,
        is_answered,
        within_15s,
        is_abandoned,
        handle_seconds
    from requests
),

offered as (
    select
        interval_start,
        queue,
        cast(sum(case when is_answered then 1 else 0 end) as bigint) as answered_calls,
        cast(sum(case when within_15s then 1 else 0 end) as bigint) as answered_within_15s,
        cast(sum(case when is_abandoned then 1 else 0 end) as bigint) as abandoned_calls,
        count(*) as offered_calls,
        sum(case when is_answered then handle_seconds else 0 end) as handle_seconds
    from requests_by_queue
    group by interval_start, queue
),

{# The load of an interval whose calls were all abandoned still needs agents: it is
    planned with the queue's mean handle time over every interval. #}
queue_handle as (
    select
        queue,
        sum(handle_seconds) / nullif(sum(answered_calls), 0) as queue_mean_handle_seconds
    from offered
    group by queue
),

loads as (
    select
        o.interval_start,
        o.queue,
        o.offered_calls,
        o.answered_calls,
        o.answered_within_15s,
        o.abandoned_calls,
        o.handle_seconds,
        o.handle_seconds / nullif(o.answered_calls, 0) as mean_handle_seconds,
        coalesce(
            o.handle_seconds / nullif(o.answered_calls, 0), h.queue_mean_handle_seconds
        ) as planning_aht_seconds
    from offered as o
    left join queue_handle as h on o.queue = h.queue
),

shifts as (
    select
        s.shift_start_at,
        least(s.shift_end_at, as_of.as_of) as shift_end_at
    from {{ ref('stg_hotline__agent_shifts') }} as s
    cross join as_of
    where s.shift_start_at < as_of.as_of
),

shift_spans as (
    select
        shift_start_at,
        shift_end_at,
        {{ dbt.datediff('shift_start_at', 'shift_end_at', 'minute') }}
        / {{ minutes }} + 1 as interval_count
    from shifts
),

{# Every interval a shift touches: the numbers table counts intervals from the one
    holding the shift start. #}
shift_intervals as (
    select
        s.shift_start_at,
        s.shift_end_at,
        {{ dbt.dateadd(
            'minute',
            minutes ~ ' * n.n',
            erlang_interval_start('s.shift_start_at', minutes)
        ) }} as interval_start
    from shift_spans as s
    inner join {{ ref('int_hotline_erlang__ln_factorials') }} as n on s.interval_count >= n.n
),

logged_in as (
    select
        interval_start,
        cast(sum(
            {{ dbt.datediff(
                'greatest(shift_start_at, interval_start)',
                'least(shift_end_at, ' ~ dbt.dateadd('minute', minutes, 'interval_start') ~ ')',
                'millisecond'
            ) }}
        ) as double) / {{ minutes * 60 * 1000 }} as agents_on_shift
    from shift_intervals
    where
        shift_start_at < {{ dbt.dateadd('minute', minutes, 'interval_start') }}
        and shift_end_at > interval_start
    group by interval_start
),

{# The 'all' row of an interval with agents but no call: nothing offered, nothing needed. #}
intervals as (
    select
        coalesce(l.interval_start, li.interval_start) as interval_start,
        coalesce(l.queue, 'all') as queue,
        coalesce(l.offered_calls, 0) as offered_calls,
        coalesce(l.answered_calls, 0) as answered_calls,
        coalesce(l.answered_within_15s, 0) as answered_within_15s,
        coalesce(l.abandoned_calls, 0) as abandoned_calls,
        coalesce(l.handle_seconds, 0) as handle_seconds,
        l.mean_handle_seconds,
        l.planning_aht_seconds,
        coalesce(l.offered_calls * l.planning_aht_seconds / {{ minutes * 60 }}, 0)
            as offered_erlangs,
        coalesce(li.agents_on_shift, 0) as interval_agents
    from loads as l
    full outer join logged_in as li
        on
            l.interval_start = li.interval_start
            and l.queue = 'all'
),

shared as (
    select
        i.*,
        case
            when i.queue = 'all' then i.interval_agents
            else
                coalesce(
                    a.interval_agents * i.offered_erlangs
                    / nullif(
                        sum(case when i.queue <> 'all' then i.offered_erlangs else 0 end)
                            over (partition by i.interval_start),
                        0
                    ),
                    0
                )
        end as agents_on_shift
    from intervals as i
    left join intervals as a
        on
            i.interval_start = a.interval_start
            and a.queue = 'all'
),

erlang_loads as (
    select
        interval_start,
        queue,
        offered_erlangs as traffic,
        floor(agents_on_shift) as staffed_agents
    from shared
    where offered_erlangs > 0
),

curve as (
    {{ erlang_c_curve(
        'erlang_loads',
        ['interval_start', 'queue'],
        ref('int_hotline_erlang__ln_factorials')
    ) }}
),

curve_levels as (
    select
        c.interval_start,
        c.queue,
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
    inner join loads as l
        on
            c.interval_start = l.interval_start
            and c.queue = l.queue
),

needed as (
    select
        interval_start,
        queue,
        min(agents) as agents_needed
    from curve_levels
    where service_level >= {{ target_level }}
    group by interval_start, queue
)

select
    s.interval_start,
    cast(s.interval_start as date) as interval_date,
    s.queue,
    s.offered_calls,
    s.answered_calls,
    s.answered_within_15s,
    s.abandoned_calls,
    s.handle_seconds,
    s.mean_handle_seconds,
    s.planning_aht_seconds,
    s.offered_erlangs,
    s.agents_on_shift,
    s.handle_seconds / nullif(s.agents_on_shift * {{ minutes * 60 }}, 0) as occupancy,
    case when s.offered_erlangs > 0 then n.agents_needed else 0 end as agents_needed,
    s.agents_on_shift
    - case when s.offered_erlangs > 0 then n.agents_needed else 0 end as agents_gap,
    {#- What Erlang C predicts with the agents logged in (whole agents); a queue with no more
        agents than Erlangs never drains: every call waits, none within the limit. #}
    case
        when s.offered_erlangs > 0 then coalesce(e.wait_probability, 1)
    end as expected_wait_probability,
    case
        when s.offered_erlangs > 0 then coalesce(e.service_level, 0)
    end as expected_service_level,
    case
        when s.offered_erlangs > 0 then coalesce(e.answer_level, 0)
    end as expected_answer_15s,
    e.asa_seconds as expected_asa_seconds
from shared as s
left join needed as n
    on
        s.interval_start = n.interval_start
        and s.queue = n.queue
left join erlang_loads as el
    on
        s.interval_start = el.interval_start
        and s.queue = el.queue
left join curve_levels as e
    on
        s.interval_start = e.interval_start
        and s.queue = e.queue
        and el.staffed_agents = e.agents
