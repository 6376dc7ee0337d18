select
    shift_id,
    staff_id,
    shift_start_at,
    shift_end_at,
    {{ dbt.datediff('shift_start_at', 'shift_end_at', 'millisecond') }}
    / 1000.0 as shift_seconds,
    _loaded_at
from {{ source('hotline', 'agent_shifts') }}
