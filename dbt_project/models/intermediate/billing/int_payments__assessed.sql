{#- Payments at or before as_of and the payment-received SMS (缴费到账提醒): on time when
    sent in [paid_at, paid_at + 10 min]. Deadline rule: assessed once the SMS was sent or
    the 10 minutes have passed. -#}
{%- set sms_minutes = var('billing_payment_sms_minutes') %}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

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
        as_of.as_of
    from {{ ref('stg_billing__payments') }} as p
    cross join as_of
    where p.paid_at <= as_of.as_of
)

select
    payment_id,
    customer_key,
    msisdn_masked,
    paid_at,
    cast(paid_at as date) as paid_on,
    amount,
    channel,
    confirm_sms_at,
    confirm_sms_seconds,
    confirm_deadline_at,
    confirm_sms_at is not null or as_of > confirm_deadline_at as is_assessed,
    coalesce(
        confirm_sms_at >= paid_at and confirm_sms_at <= confirm_deadline_at, false
    ) as is_confirmed_in_time
from paid
