select
    payment_id,
    customer_key,
    msisdn_masked,
    paid_at,
    amount,
    channel,
    confirm_sms_at,
    balance_after,
    {{ dbt.datediff('paid_at', 'confirm_sms_at', 'millisecond') }}
    / 1000.0 as confirm_sms_seconds,
    _loaded_at
from {{ source('billing', 'payments') }}
