select
    event_id,
    complaint_id,
    event_at,
    event_type,
    staff_id,
    callback_outcome,
    note,
    _loaded_at
from {{ source('complaints', 'complaint_events') }}
