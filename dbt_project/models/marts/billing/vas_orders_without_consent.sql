{#- Compliance list (强制订购 risk): every VAS order charged at or before as_of without the
    customer's second confirmation, or without the charge reminder, at or before its first
    charge. A confirmation after the charge does not cure the charge. Masked phone only. -#}
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
    cancelled_at,
    not is_confirmed_before_charge as lacks_confirmation,
    not is_reminded_before_charge as lacks_charge_reminder,
    case
        when not is_confirmed_before_charge and not is_reminded_before_charge
            then 'no_confirmation_no_reminder'
        when not is_confirmed_before_charge then 'no_confirmation'
        else 'no_charge_reminder'
    end as violation
from {{ ref('int_vas_orders__assessed') }}
where not (is_confirmed_before_charge and is_reminded_before_charge)
