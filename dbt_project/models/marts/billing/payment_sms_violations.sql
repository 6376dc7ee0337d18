{#- Compliance list (缴费到账提醒): every assessed payment whose confirmation SMS was not sent
    within 10 minutes of it: never sent (no_sms), sent after the 10 minutes (sms_late) or
    stamped before the payment itself (sms_before_payment). Payments still inside their
    10 minutes are not listed. Masked phone only.

    Incremental by payment day: a run rebuilds the days int_payments__assessed rebuilt since
    this table's last run (its _built_at); a day left without violations gets a placeholder
    that clears it (macro emptied_partitions). Payments after as_of leave the table when
    as_of moves back (as_of_column). -#}
{#- The as_of hooks read int_as_of, which the SQL below does not. #}
-- depends_on: {{ ref('int_as_of') }}
{%- set cfg = incremental_config(
    'paid_on', as_of_column='paid_at', placeholder_column='payment_id'
) -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

with assessed as (
    select *
    from {{ ref('int_payments__assessed') }}
    {% if is_incremental() -%}
        where {{ touched_partitions(
            ref('int_payments__assessed'), 'paid_on', stamp_column='_built_at'
        ) }}
    {%- endif %}
),

violations as (
    select
        payment_id,
        customer_key,
        msisdn_masked,
        paid_at,
        amount,
        channel,
        confirm_deadline_at,
        confirm_sms_at,
        confirm_sms_seconds,
        case
            when confirm_sms_at is null then 'no_sms'
            when confirm_sms_at > confirm_deadline_at then 'sms_late'
            else 'sms_before_payment'
        end as violation,
        {{ build_stamp() }} as _built_at,
        {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
        paid_on
    from assessed
    where is_assessed and not is_confirmed_in_time
)

select * from violations
{{ emptied_partitions('violations', 'assessed', 'paid_on') }}
