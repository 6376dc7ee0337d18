{#- The staffing load of every half hour and queue, as hotline_intervals shows it (see that
    mart for the rules): offered, answered and abandoned agent requests, handle time, the
    planning AHT, offered Erlangs and the agents on shift. Its own table so that the Erlang
    C outcomes (int_hotline_erlang__outcomes) and the mart read the very same values. -#}
{%- set minutes = var('hotline_interval_minutes') %}

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
                    {#- The share first: a queue alone in its interval gets exactly 1, so
                        all the agents (13 × 10.1 / 10.1 is 12.999… in floating point). #}
                    a.interval_agents * (
                        i.offered_erlangs
                        / nullif(
                            sum(case when i.queue <> 'all' then i.offered_erlangs else 0 end)
                                over (partition by i.interval_start),
                            0
                        )
                    ),
                    0
                )
        end as agents_on_shift
    from intervals as i
    left join intervals as a
        on
            i.interval_start = a.interval_start
            and a.queue = 'all'
)

select
    interval_start,
    queue,
    offered_calls,
    answered_calls,
    answered_within_15s,
    abandoned_calls,
    handle_seconds,
    mean_handle_seconds,
    planning_aht_seconds,
    offered_erlangs,
    agents_on_shift,
    {#- Erlang C counts whole agents. #}
    cast(floor(agents_on_shift) as integer) as staffed_agents
from shared
