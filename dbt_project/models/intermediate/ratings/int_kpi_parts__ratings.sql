{#- KPI parts of the SMS rating KPIs (kpis.md, "SMS ratings") by channel, hall and service
    type, and hotline_satisfaction (valid ratings of the hotline channel, no segments).

    Incremental by day: a run rebuilds the days int_sms_ratings__facts rebuilt since its
    last run and clears those the facts no longer hold (kpi_parts_rebuilt_days). -#}
{%- set cfg = incremental_config('period_start', placeholder_column='kpi_id') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

with
{%- if is_incremental() %}
rebuilt_days as (
    {{ kpi_parts_rebuilt_days(ref('int_sms_ratings__facts'), 'invited_on') }}
),
{%- endif %}

ratings as (
    select * from {{ ref('int_sms_ratings__facts') }}
    {%- if is_incremental() %}
    where {{ in_rebuilt_days('invited_on') }}
    {%- endif %}
),

facts as (
    select
        'rating_response_rate' as kpi_id,
        invited_on as anchor_date,
        channel,
        hall_id,
        service_type,
        case when reply_status = 'valid' then 1 else 0 end as numerator,
        1 as denominator
    from ratings
    where is_response_assessed

    union all

    select
        'rating_satisfaction' as kpi_id,
        invited_on as anchor_date,
        channel,
        hall_id,
        service_type,
        case when reply_code = 1 then 1 else 0 end as numerator,
        1 as denominator
    from ratings
    where reply_status = 'valid'

    union all

    select
        'rating_dissatisfaction' as kpi_id,
        invited_on as anchor_date,
        channel,
        hall_id,
        service_type,
        case when reply_code = 3 then 1 else 0 end as numerator,
        1 as denominator
    from ratings
    where reply_status = 'valid'
),

hotline_facts as (
    select
        'hotline_satisfaction' as kpi_id,
        invited_on as anchor_date,
        1 as denominator,
        case when reply_code = 1 then 1 else 0 end as numerator
    from ratings
    where reply_status = 'valid' and channel = 'hotline'
),

parts as (
    {{ kpi_parts_by_segment(
        'facts', {'channel': 'channel', 'hall': 'hall_id', 'service_type': 'service_type'}
    ) }}

    union all

    {{ kpi_parts_by_segment('hotline_facts', {}) }}
)

{{ kpi_parts_rows('parts') }}
