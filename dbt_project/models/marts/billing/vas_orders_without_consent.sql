{#- Compliance list (强制订购 risk): every VAS order charged at or before as_of without the
    customer's second confirmation, or without the charge reminder, at or before its first
    charge. A confirmation after the charge does not cure the charge. Events later than
    as_of have not happened yet: their timestamps are NULL here. Masked phone only. -#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

unconsented as (
    select
        o.*,
        case when o.confirm_request_at <= as_of.as_of then o.confirm_request_at end
            as confirm_request_seen_at,
        case when o.confirmed_at <= as_of.as_of then o.confirmed_at end as confirmed_seen_at,
        case when o.charge_reminder_at <= as_of.as_of then o.charge_reminder_at end
            as charge_reminder_seen_at,
        case when o.cancelled_at <= as_of.as_of then o.cancelled_at end as cancelled_seen_at
    from {{ ref('int_vas_orders__assessed') }} as o
    cross join as_of
    where not (o.is_confirmed_before_charge and o.is_reminded_before_charge)
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
    confirm_request_seen_at as confirm_request_at,
    confirmed_seen_at as confirmed_at,
    charge_reminder_seen_at as charge_reminder_at,
    first_charged_at,
    cancelled_seen_at as cancelled_at,
    not is_confirmed_before_charge as lacks_confirmation,
    not is_reminded_before_charge as lacks_charge_reminder,
    case
        when not is_confirmed_before_charge and not is_reminded_before_charge
            then 'no_confirmation_no_reminder'
        when not is_confirmed_before_charge then 'no_confirmation'
        else 'no_charge_reminder'
    end as violation
from unconsented
