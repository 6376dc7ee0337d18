{#- Data-allowance crossings at or before as_of and their alert (流量提醒): on time when
    sent in [crossed_at, crossed_at + 60 min]. Deadline rule: assessed once the alert was
    sent or the 60 minutes have passed. -#}
{%- set alert_minutes = var('billing_data_alert_minutes') %}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

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
        as_of.as_of
    from {{ ref('stg_billing__data_usage_alerts') }} as a
    cross join as_of
    where a.crossed_at <= as_of.as_of
)

select
    customer_key,
    msisdn_masked,
    alert_month,
    threshold_pct,
    crossed_at,
    cast(crossed_at as date) as crossed_on,
    alert_sent_at,
    alert_seconds,
    alert_deadline_at,
    alert_sent_at is not null or as_of > alert_deadline_at as is_assessed,
    coalesce(
        alert_sent_at >= crossed_at and alert_sent_at <= alert_deadline_at, false
    ) as is_alerted_in_time
from crossed
