select
    shift_id,
    staff_id,
    shift_start_at,
    shift_end_at,
    cast(
        {{ dbt.datediff('shift_start_at', 'shift_end_at', 'millisecond') }}
        as double
    ) / 1000 as shift_seconds,
    _loaded_at
from {{ source('hotline', 'agent_shifts') }}
