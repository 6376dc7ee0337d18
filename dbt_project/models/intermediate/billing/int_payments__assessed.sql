{#- Payments at or before as_of and the payment-received SMS (缴费到账提醒): on time when
    sent in [paid_at, paid_at + 10 min]. Deadline rule: assessed once the SMS was sent or
    the 10 minutes have passed.

    Incremental by payment day (macro incremental_config): a run rebuilds whole days, those
    holding a payment loaded since the last run and those holding a payment whose
    assessment may have changed since then (see recheck below). When as_of moves back, the
    payments after it leave the table (as_of_column). -#}
{%- set cfg = incremental_config('paid_on', as_of_column='paid_at') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

{%- set sms_minutes = var('billing_payment_sms_minutes') %}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

{% if is_incremental() %}
{# The last build's as_of was no earlier than its latest payment, so an assessment that
    differs between that as_of and this one (in either direction: as_of can move back) has
    its SMS or its deadline after the earlier of that payment and this as_of. #}
recheck as (
    select least((select max(built.paid_at) from {{ this }} as built), as_of) as recheck_from
    from as_of
),
{% endif %}

paid as (
    select
        p.payment_id,
        p.customer_key,
        p.msisdn_masked,
        p.paid_at,
        p.amount,
        p.channel,
        case when p.confirm_sms_at <= as_of.as_of then p.confirm_sms_at end as confirm_sms_at,
        case when p.confirm_sms_at <= as_of.as_of then p.confirm_sms_seconds end
            as confirm_sms_seconds,
        {{ dbt.dateadd('minute', sms_minutes, 'p.paid_at') }} as confirm_deadline_at,
        p._loaded_at,
        as_of.as_of
    from {{ ref('stg_billing__payments') }} as p
    cross join as_of
    where
        {% if is_incremental() -%}
            {{ touched_partitions(
                ref('stg_billing__payments'),
                'cast(paid_at as date)',
                also_where=recheck_conditions(
                    'paid_at', 'minute', sms_minutes, 'confirm_sms_at'
                ),
                key_columns=['payment_id'],
                range_column='paid_at'
            ) }}
            and
        {% endif -%}
        p.paid_at <= as_of.as_of
)

select
    payment_id,
    customer_key,
    msisdn_masked,
    paid_at,
    amount,
    channel,
    confirm_sms_at,
    confirm_sms_seconds,
    confirm_deadline_at,
    confirm_sms_at is not null or as_of > confirm_deadline_at as is_assessed,
    coalesce(
        confirm_sms_at >= paid_at and confirm_sms_at <= confirm_deadline_at, false
    ) as is_confirmed_in_time,
    _loaded_at,
    {{ build_stamp() }} as _built_at,
    {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
    cast(paid_at as date) as paid_on
from paid
