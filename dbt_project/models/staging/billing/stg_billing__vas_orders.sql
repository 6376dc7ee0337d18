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
    _loaded_at
from {{ source('billing', 'vas_orders') }}
