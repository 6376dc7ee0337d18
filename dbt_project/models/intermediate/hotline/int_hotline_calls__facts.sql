{#- One row per call that has ended by as_of (kpis.md: a call counts once it has ended), with
    every flag the hotline KPIs, the staffing mart and the staff evaluation sum.

    Incremental by call day (macro incremental_config): a run recomputes whole days from a
    cutoff and replaces them, so a call that is no longer in the export also leaves its day.
    The cutoff goes back far enough that every row whose inputs may have changed is
    recomputed: calls that ended since the last run, the 24-hour FCR window before any newly
    loaded call (and before the stored start of a reloaded one), and the FCR deadline of
    recent calls.
    When as_of moves back, the calls that have not ended by the new as_of leave the table
    (as_of_column below). -#}
{%- set cfg = incremental_config('call_date', as_of_column='call_end_at') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

{%- set fcr_hours = var('hotline_fcr_repeat_hours') %}
{%- set lookback_days = var('hotline_incremental_lookback_days') %}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

{% if is_incremental() %}
{# Earliest call start whose facts may differ from the stored ones. Days before it are final:
    their FCR window is closed and their calls ended long ago. #}
stored as (
    select max(call_start_at) as last_call_start_at
    from {{ this }}
),

{# Every call counts as late when nothing is stored (no call yet, or every partition
    dropped because as_of moved back). #}
loaded as (
    select
        c.call_id,
        c.call_start_at
    from {{ ref('stg_hotline__hotline_calls') }} as c
    where {{ stamped_since_last_build('_loaded_at', 'c') }}
),

{# A corrected delivery may move a call to a later start: its stored start bounds the
    cutoff too, so the day it leaves is rebuilt without it. #}
late as (
    select min(starts.call_start_at) as first_call_start_at
    from (
        select loaded.call_start_at from loaded
        union all
        select held.call_start_at
        from {{ this }} as held
        where held.call_id in (select loaded.call_id from loaded)
    ) as starts
),

cutoff as (
    select
        cast(least(
            {{ dbt.dateadd('day', -lookback_days, 'stored.last_call_start_at') }},
            {{ dbt.dateadd('day', -lookback_days, 'as_of.as_of') }},
            coalesce(
                {{ dbt.dateadd('hour', -fcr_hours, 'late.first_call_start_at') }}, as_of.as_of
            )
        ) as date) as recompute_from
    from stored
    cross join as_of
    cross join late
),
{% endif %}

{# A repeat is always later than its call, so a recomputed day needs no earlier calls. #}
calls as (
    select c.*
    from {{ ref('stg_hotline__hotline_calls') }} as c
    cross join as_of
    where
        {% if is_incremental() -%}
            c.call_start_at >= (select cutoff.recompute_from from cutoff) and
        {% endif -%}
        c.call_end_at <= as_of.as_of
),

{# The repeat rule compares answered agent requests of one customer. The next strictly
    later start is found over distinct start times, so two calls starting in the same
    instant never count as each other's repeat. #}
answered_starts as (
    select distinct
        customer_key,
        call_start_at
    from calls
    where ivr_outcome = 'agent_request' and answered_at is not null
),

next_answered as (
    select
        customer_key,
        call_start_at,
        lead(call_start_at) over (
            partition by customer_key order by call_start_at
        ) as next_answered_start_at
    from answered_starts
),

enriched as (
    select
        c.call_id,
        c.customer_key,
        c.call_start_at,
        c.ivr_outcome,
        c.queue,
        c.queued_at,
        c.answered_at,
        c.abandoned_at,
        c.agent_id,
        c.call_end_at,
        c.wait_seconds,
        c.talk_seconds,
        c.wrapup_seconds,
        c.complaint_id,
        c.disposition,
        c._loaded_at,
        s.vip,
        coalesce(s.brand, 'unknown') as brand,
        c.ivr_outcome = 'agent_request' as is_agent_request,
        c.ivr_outcome = 'agent_request' and c.answered_at is not null as is_answered,
        coalesce(
            n.next_answered_start_at
            <= {{ dbt.dateadd('hour', fcr_hours, 'c.call_start_at') }},
            false
        ) as has_repeat,
        {#- Tier by customer, not by queue: VIP or 全球通 customers get the short limit.
            A customer who is not loaded is in the "all others" tier. #}
        case
            when coalesce(s.vip, false) or s.brand = 'gotone'
                then {{ var('hotline_tier_priority_seconds') }}
            else {{ var('hotline_tier_other_seconds') }}
        end as tier_threshold_seconds,
        as_of.as_of
    from calls as c
    cross join as_of
    left join {{ ref('stg_reference__subscribers') }} as s
        on c.customer_key = s.customer_key
    left join next_answered as n
        on
            c.customer_key = n.customer_key
            and c.call_start_at = n.call_start_at
)

select
    call_id,
    customer_key,
    brand,
    vip,
    queue,
    agent_id,
    ivr_outcome,
    call_start_at,
    queued_at,
    answered_at,
    abandoned_at,
    call_end_at,
    complaint_id,
    disposition,
    is_agent_request,
    is_answered,
    is_agent_request and abandoned_at is not null as is_abandoned,
    ivr_outcome = 'self_service' as is_self_service,
    wait_seconds,
    tier_threshold_seconds,
    {#- Thresholds compare timestamps, exact to the millisecond: "within N" is ≤ N. #}
    is_answered
    and answered_at
    <= {{ dbt.dateadd('second', var('hotline_answer_seconds'), 'queued_at') }}
        as within_15s,
    is_answered
    and answered_at <= {{ dbt.dateadd('second', 'tier_threshold_seconds', 'queued_at') }}
        as within_tiered,
    case
        when is_answered then talk_seconds + coalesce(wrapup_seconds, 0)
    end as handle_seconds,
    {#- Deadline rule: known once a repeat exists, or once the window has fully passed. #}
    is_answered
    and (
        has_repeat
        or as_of > {{ dbt.dateadd('hour', fcr_hours, 'call_start_at') }}
    ) as fcr_eligible,
    is_answered
    and not has_repeat
    and as_of > {{ dbt.dateadd('hour', fcr_hours, 'call_start_at') }} as fcr_resolved,
    _loaded_at,
    {#- The call_id test checks the rows of the latest build (unique_combination). #}
    {{ build_stamp() }} as _built_at,
    {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
    cast(call_start_at as date) as call_date
from enriched
