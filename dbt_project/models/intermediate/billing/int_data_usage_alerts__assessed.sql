{#- Data-allowance crossings at or before as_of and their alert (流量提醒): on time when
    sent in [crossed_at, crossed_at + 60 min]. Deadline rule: assessed once the alert was
    sent or the 60 minutes have passed.

    Incremental by day of the crossing, as int_payments__assessed: a run rebuilds the days
    holding a crossing loaded since the last run or one whose assessment may have changed
    since then; crossings after as_of leave the table when as_of moves back. -#}
{%- set cfg = incremental_config('crossed_on', as_of_column='crossed_at') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

{%- set alert_minutes = var('billing_data_alert_minutes') %}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

{% if is_incremental() %}
{# The last build's as_of was no earlier than its latest crossing, so an assessment that
    differs between that as_of and this one (in either direction) has its alert or its
    deadline after the earlier of that crossing and this as_of. #}
recheck as (
    select least((select max(built.crossed_at) from {{ this }} as built), as_of) as recheck_from
    from as_of
),
{% endif %}

crossed as (
    select
        a.customer_key,
        a.msisdn_masked,
        a.alert_month,
        a.threshold_pct,
        a.crossed_at,
        case when a.alert_sent_at <= as_of.as_of then a.alert_sent_at end as alert_sent_at,
        case when a.alert_sent_at <= as_of.as_of then a.alert_seconds end as alert_seconds,
        {{ dbt.dateadd('minute', alert_minutes, 'a.crossed_at') }} as alert_deadline_at,
        a._loaded_at,
        as_of.as_of
    from {{ ref('stg_billing__data_usage_alerts') }} as a
    cross join as_of
    where
        {% if is_incremental() -%}
            {{ touched_partitions(
                ref('stg_billing__data_usage_alerts'),
                'cast(crossed_at as date)',
                also_where=recheck_conditions(
                    'crossed_at', 'minute', alert_minutes, 'alert_sent_at'
                ),
                key_columns=['customer_key', 'alert_month', 'threshold_pct'],
                range_column='crossed_at'
            ) }}
            and
        {% endif -%}
        a.crossed_at <= as_of.as_of
)

select
    customer_key,
    msisdn_masked,
    alert_month,
    threshold_pct,
    crossed_at,
    alert_sent_at,
    alert_seconds,
    alert_deadline_at,
    alert_sent_at is not null or as_of > alert_deadline_at as is_assessed,
    coalesce(
        alert_sent_at >= crossed_at and alert_sent_at <= alert_deadline_at, false
    ) as is_alerted_in_time,
    _loaded_at,
    {{ build_stamp() }} as _built_at,
    {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
    cast(crossed_at as date) as crossed_on
from crossed
