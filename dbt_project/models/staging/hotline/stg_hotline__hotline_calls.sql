{#- Durations are DOUBLE seconds from millisecond differences: timestamps may carry .fff,
    and a whole-second datediff counts boundaries crossed, not elapsed time. -#}
select
    call_id,
    customer_key,
    msisdn_masked,
    call_start_at,
    ivr_exit_at,
    ivr_outcome,
    queue,
    queued_at,
    answered_at,
    abandoned_at,
    agent_id,
    call_end_at,
    hold_seconds,
    wrapup_seconds,
    transferred,
    disposition,
    complaint_id,
    cast(
        {{ dbt.datediff('queued_at', 'coalesce(answered_at, abandoned_at)', 'millisecond') }}
        as double
    ) / 1000 as wait_seconds,
    cast(
        {{ dbt.datediff('answered_at', 'call_end_at', 'millisecond') }}
        as double
    ) / 1000 as talk_seconds,
    _loaded_at
from {{ source('hotline', 'hotline_calls') }}
