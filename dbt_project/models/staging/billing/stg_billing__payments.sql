select
    payment_id,
    customer_key,
    msisdn_masked,
    paid_at,
    amount,
    channel,
    confirm_sms_at,
    balance_after,
    cast(
        {{ dbt.datediff('paid_at', 'confirm_sms_at', 'millisecond') }}
        as double
    ) / 1000 as confirm_sms_seconds,
    _loaded_at
from {{ source('billing', 'payments') }}
