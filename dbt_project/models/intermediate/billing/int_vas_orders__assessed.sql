{#- VAS orders charged at or before as_of, with the two consent checks: the customer's
    second confirmation (二次确认) and the charge reminder (扣费提醒), each at or before the
    first charge. Confirmations and reminders later than as_of have not happened yet. -#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

charged as (
    select
        o.order_id,
        o.customer_key,
        o.msisdn_masked,
        o.product_code,
        o.product_name,
        o.sp_code,
        o.billing_type,
        o.order_channel,
        o.requested_at,
        o.first_charged_at,
        case when o.confirm_request_at <= as_of.as_of then o.confirm_request_at end
            as confirm_request_at,
        case when o.confirmed_at <= as_of.as_of then o.confirmed_at end as confirmed_at,
        case when o.charge_reminder_at <= as_of.as_of then o.charge_reminder_at end
            as charge_reminder_at,
        case when o.cancelled_at <= as_of.as_of then o.cancelled_at end as cancelled_at
    from {{ ref('stg_billing__vas_orders') }} as o
    cross join as_of
    where o.first_charged_at <= as_of.as_of
)

select
    order_id,
    customer_key,
    msisdn_masked,
    product_code,
    product_name,
    sp_code,
    billing_type,
    order_channel,
    requested_at,
    confirm_request_at,
    confirmed_at,
    charge_reminder_at,
    first_charged_at,
    cast(first_charged_at as date) as first_charged_on,
    cancelled_at,
    coalesce(confirmed_at <= first_charged_at, false) as is_confirmed_before_charge,
    coalesce(charge_reminder_at <= first_charged_at, false) as is_reminded_before_charge
from charged
