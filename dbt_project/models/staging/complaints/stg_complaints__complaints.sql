select
    complaint_id,
    received_at,
    channel,
    customer_key,
    msisdn_masked,
    category,
    urgency,
    first_owner_staff_id,
    hall_id,
    summary,
    _loaded_at
from {{ source('complaints', 'complaints') }}
