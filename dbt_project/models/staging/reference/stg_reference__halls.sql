select
    hall_id,
    hall_name,
    district,
    hall_type,
    opened_on,
    closed_on,
    _loaded_at
from {{ source('reference', 'halls') }}
