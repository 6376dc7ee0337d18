select
    suspension_id,
    customer_key,
    msisdn_masked,
    suspended_at,
    reason,
    reminder_sent_at,
    restored_at,
    cast(
        {{ dbt.datediff('reminder_sent_at', 'suspended_at', 'millisecond') }}
        as double
    ) / 1000 as reminder_notice_seconds,
    _loaded_at
from {{ source('billing', 'suspensions') }}
