select
    suspension_id,
    customer_key,
    msisdn_masked,
    suspended_at,
    reason,
    reminder_sent_at,
    restored_at,
    {{ dbt.datediff('reminder_sent_at', 'suspended_at', 'millisecond') }}
    / 1000.0 as reminder_notice_seconds,
    _loaded_at
from {{ source('billing', 'suspensions') }}
