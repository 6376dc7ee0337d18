select
    staff_id,
    staff_name,
    team,
    hall_id,
    role,
    hired_on,
    left_on,
    _loaded_at
from {{ source('reference', 'staff') }}
