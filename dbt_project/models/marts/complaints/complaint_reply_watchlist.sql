{#- Compliance list: complaints without a first reply at as_of, most urgent first, with the
    hours left to the 48-hour promise (negative once it is broken). Phone numbers masked. -#}
with timeline as (
    select * from {{ ref('int_complaints__timeline') }}
    where first_reply_at is null
),

watch as (
    select
        t.complaint_id,
        t.received_at,
        t.channel,
        t.category,
        t.urgency,
        t.msisdn_masked,
        t.first_owner_staff_id,
        s.staff_name as first_owner_name,
        t.hall_id,
        h.hall_name,
        t.reply_deadline_at,
        cast(
            {{ dbt.datediff('t.as_of', 't.reply_deadline_at', 'millisecond') }}
            as double
        ) / 3600000 as hours_left,
        t.as_of
    from timeline as t
    left join {{ ref('stg_reference__staff') }} as s on t.first_owner_staff_id = s.staff_id
    left join {{ ref('stg_reference__halls') }} as h on t.hall_id = h.hall_id
)

select
    *,
    as_of > reply_deadline_at as is_breached,
    (
        as_of <= reply_deadline_at
        and hours_left <= {{ var('complaint_reply_risk_hours') }}
    ) as is_at_risk
from watch
