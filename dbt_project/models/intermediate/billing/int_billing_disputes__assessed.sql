{#- Verified billing errors (verified_error_amount > 0, verified at or before as_of) and the
    double-refund promise (收费误差、双倍返还): a refund of at least twice the error within
    7 days of verification. A refund later than as_of has not happened yet. -#}
{%- set refund_days = var('billing_refund_days') %}
{%- set refund_multiple = var('billing_refund_multiple') %}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

verified as (
    select
        d.dispute_id,
        d.customer_key,
        d.msisdn_masked,
        d.complaint_id,
        d.bill_month,
        d.item_code,
        d.claimed_amount,
        d.verified_at,
        d.verified_error_amount,
        {{ refund_multiple }} * d.verified_error_amount as required_refund_amount,
        {{ dbt.dateadd('day', refund_days, 'd.verified_at') }} as refund_deadline_at,
        case when d.refunded_at <= as_of.as_of then d.refunded_at end as refunded_at,
        case when d.refunded_at <= as_of.as_of then d.refund_amount end as refund_amount,
        as_of.as_of
    from {{ ref('stg_billing__billing_disputes') }} as d
    cross join as_of
    where
        d.verified_at <= as_of.as_of
        and d.verified_error_amount > 0
),

flagged as (
    select
        *,
        refunded_at is not null as is_refunded,
        coalesce(refunded_at <= refund_deadline_at, false) as is_refund_on_time,
        coalesce(refund_amount >= required_refund_amount, false) as is_refund_in_full
    from verified
)

select
    dispute_id,
    customer_key,
    msisdn_masked,
    complaint_id,
    bill_month,
    item_code,
    claimed_amount,
    verified_at,
    cast(verified_at as date) as verified_on,
    verified_error_amount,
    required_refund_amount,
    refund_deadline_at,
    refunded_at,
    refund_amount,
    is_refunded,
    is_refund_on_time,
    is_refund_in_full,
    {#- Deadline rule: assessed once refunded, or once the 7 days have passed. #}
    is_refunded or as_of > refund_deadline_at as is_assessed,
    is_refund_on_time and is_refund_in_full as is_promise_kept,
    case
        when not (is_refunded or as_of > refund_deadline_at) then null
        when not is_refunded then 'missing'
        when not is_refund_on_time and not is_refund_in_full then 'late_and_short'
        when not is_refund_on_time then 'late'
        when not is_refund_in_full then 'short'
    end as violation
from flagged
