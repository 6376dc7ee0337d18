{#- Day rows of the hotline KPIs (kpis.md, "Hotline 10086") except hotline_satisfaction,
    which comes from SMS ratings. Anchor: call_start_at of calls ended by as_of. The
    agent-request KPIs are segmented by queue and brand; the IVR self-service rate is not.

    Incremental by day: a run rebuilds the days int_hotline_calls__facts rebuilt since its
    last run and clears those the facts no longer hold (kpi_parts_rebuilt_days). -#}
{%- set cfg = incremental_config('period_start', placeholder_column='kpi_id') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}
{%- set kpis = [
    ('hotline_connection_rate', 'answered', 'agent_requests', true),
    ('hotline_answer_15s', 'answered_within_15s', 'agent_requests', true),
    ('hotline_service_level_tiered', 'answered_within_tier', 'agent_requests', true),
    ('hotline_abandon_rate', 'abandoned', 'agent_requests', true),
    ('hotline_asa_seconds', 'answer_wait_seconds', 'answered', true),
    ('hotline_aht_seconds', 'handle_seconds', 'answered', true),
    ('hotline_fcr', 'fcr_resolved', 'fcr_eligible', true),
    ('hotline_ivr_self_service_rate', 'self_service', 'calls', false),
] -%}
{%- set segments = [('all', "'all'"), ('queue', 'queue'), ('brand', 'brand')] -%}

with
{%- if is_incremental() %}
rebuilt_days as (
    {{ kpi_parts_rebuilt_days(ref('int_hotline_calls__facts'), 'call_date') }}
),
{%- endif %}

daily as (
    select
        call_date,
        queue,
        brand,
        count(*) as calls,
        sum(case when is_self_service then 1 else 0 end) as self_service,
        sum(case when is_agent_request then 1 else 0 end) as agent_requests,
        sum(case when is_answered then 1 else 0 end) as answered,
        sum(case when within_15s then 1 else 0 end) as answered_within_15s,
        sum(case when within_tiered then 1 else 0 end) as answered_within_tier,
        sum(case when is_abandoned then 1 else 0 end) as abandoned,
        sum(case when is_answered then wait_seconds else 0 end) as answer_wait_seconds,
        sum(case when is_answered then handle_seconds else 0 end) as handle_seconds,
        sum(case when fcr_eligible then 1 else 0 end) as fcr_eligible,
        sum(case when fcr_resolved then 1 else 0 end) as fcr_resolved
    from {{ ref('int_hotline_calls__facts') }}
    {%- if is_incremental() %}
    where {{ in_rebuilt_days('call_date') }}
    {%- endif %}
    group by call_date, queue, brand
),

{# Calls that never asked for an agent have no queue; they only feed the unsegmented
    IVR rate, so the segment rows keep agent requests only. #}
segmented as (
    {%- for segment_type, segment_value in segments %}
    {%- if not loop.first %}

    union all
    {% endif %}
    select
        call_date,
        '{{ segment_type }}' as segment_type,
        {{ segment_value }} as segment_value,
        sum(calls) as calls,
        sum(self_service) as self_service,
        sum(agent_requests) as agent_requests,
        sum(answered) as answered,
        sum(answered_within_15s) as answered_within_15s,
        sum(answered_within_tier) as answered_within_tier,
        sum(abandoned) as abandoned,
        sum(answer_wait_seconds) as answer_wait_seconds,
        sum(handle_seconds) as handle_seconds,
        sum(fcr_eligible) as fcr_eligible,
        sum(fcr_resolved) as fcr_resolved
    from daily
    {%- if segment_type == 'all' %}
    group by call_date
    {%- else %}
    where agent_requests > 0
    group by call_date, {{ segment_value }}
    {%- endif %}
    {%- endfor %}
),

parts as (
    {%- for kpi_id, numerator, denominator, by_segment in kpis %}
    {%- if not loop.first %}

    union all
    {% endif %}
    select
        '{{ kpi_id }}' as kpi_id,
        'day' as grain,
        call_date as period_start,
        segment_type,
        segment_value,
        cast({{ numerator }} as double) as numerator,
        cast({{ denominator }} as double) as denominator
    from segmented
    {%- if not by_segment %}
    where segment_type = 'all'
    {%- endif %}
    {%- endfor %}
),

kept as (
    select *
    from parts
    where denominator > 0
)

{{ kpi_parts_rows('kept') }}
