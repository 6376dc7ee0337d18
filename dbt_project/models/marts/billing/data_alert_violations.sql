{#- Compliance list (流量提醒): every assessed crossing of a data-allowance threshold whose
    alert was not sent within 60 minutes of it: never sent (no_alert), sent after the 60
    minutes (alert_late) or stamped before the crossing itself (alert_before_crossing).
    Crossings still inside their 60 minutes are not listed. Masked phone only.

    Incremental by day of the crossing, as payment_sms_violations: the days
    int_data_usage_alerts__assessed rebuilt since this table's last run, a placeholder for
    a day left without violations. -#}
{#- The as_of hooks read int_as_of, which the SQL below does not. #}
-- depends_on: {{ ref('int_as_of') }}
{%- set cfg = incremental_config(
    'crossed_on', as_of_column='crossed_at', placeholder_column='crossed_at'
) -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

with assessed as (
    select *
    from {{ ref('int_data_usage_alerts__assessed') }}
    {% if is_incremental() -%}
        where {{ touched_partitions(
            ref('int_data_usage_alerts__assessed'), 'crossed_on', stamp_column='_built_at'
        ) }}
    {%- endif %}
),

violations as (
    select
        customer_key,
        msisdn_masked,
        alert_month,
        threshold_pct,
        crossed_at,
        alert_deadline_at,
        alert_sent_at,
        alert_seconds,
        case
            when alert_sent_at is null then 'no_alert'
            when alert_sent_at > alert_deadline_at then 'alert_late'
            else 'alert_before_crossing'
        end as violation,
        {{ build_stamp() }} as _built_at,
        {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
        crossed_on
    from assessed
    where is_assessed and not is_alerted_in_time
)

select * from violations
{{ emptied_partitions('violations', 'assessed', 'crossed_on') }}
