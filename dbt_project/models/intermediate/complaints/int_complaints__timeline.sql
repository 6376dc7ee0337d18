{#- One row per loaded complaint received at or before as_of: its timeline as known at
    as_of (events later than as_of are absent) and the deadlines of kpis.md. Events whose
    complaint is not loaded (orphans) cannot be placed and are left out here. -#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

complaints as (
    select c.*
    from {{ ref('stg_complaints__complaints') }} as c
    cross join as_of
    where c.received_at <= as_of.as_of
),

events as (
    select e.*
    from {{ ref('stg_complaints__complaint_events') }} as e
    cross join as_of
    where e.event_at <= as_of.as_of
),

milestones as (
    select
        complaint_id,
        min(
            case when event_type in ('first_reply', 'resolved', 'closed') then event_at end
        ) as first_reply_at,
        min(case when event_type = 'closed' then event_at end) as first_closed_at,
        max(case when event_type = 'closed' then event_at end) as last_closed_at,
        max(case when event_type = 'reopened' then event_at end) as last_reopened_at,
        sum(case when event_type = 'escalated' then 1 else 0 end) as escalations
    from events
    group by complaint_id
),

{# The first call-back that reached the customer; event_id breaks a tie in time. #}
reached_callbacks as (
    select
        complaint_id,
        event_at,
        callback_outcome,
        row_number() over (partition by complaint_id order by event_at, event_id) as callback_rank
    from events
    where event_type = 'callback' and callback_outcome <> 'unreachable'
),

{# Call-backs and reopenings count from the first close on ("after the first close"). #}
after_close as (
    select
        m.complaint_id,
        min(case when e.event_type = 'callback' then e.event_at end)
            as first_callback_after_close_at,
        sum(case when e.event_type = 'reopened' then 1 else 0 end) as reopenings_after_close
    from milestones as m
    inner join events as e
        on
            m.complaint_id = e.complaint_id
            and m.first_closed_at <= e.event_at
    group by m.complaint_id
),

{# Another complaint of the same customer and category received in the 30 days before
    (inclusive at exactly 30 days, strictly earlier). #}
repeats as (
    select distinct later.complaint_id
    from complaints as later
    inner join complaints as earlier
        on
            later.customer_key = earlier.customer_key
            and later.category = earlier.category
            and later.received_at > earlier.received_at
            and earlier.received_at
            >= {{ dbt.dateadd('day', -var('complaint_repeat_days'), 'later.received_at') }}
)

select
    c.complaint_id,
    c.received_at,
    cast(c.received_at as date) as received_on,
    c.channel,
    c.category,
    c.urgency,
    c.customer_key,
    c.msisdn_masked,
    c.first_owner_staff_id,
    c.hall_id,
    m.first_reply_at,
    m.first_closed_at,
    cb.event_at as first_reached_callback_at,
    cb.callback_outcome as first_reached_callback_outcome,
    ac.first_callback_after_close_at,
    coalesce(m.escalations, 0) as escalations,
    coalesce(ac.reopenings_after_close, 0) as reopenings_after_close,
    r.complaint_id is not null as is_repeat,
    case
        when m.first_closed_at is null and m.first_reply_at is null then 'awaiting_reply'
        when m.first_closed_at is null then 'in_progress'
        when m.last_reopened_at > m.last_closed_at then 'reopened'
        else 'closed'
    end as status,
    {{ dbt.dateadd('hour', var('complaint_first_reply_hours'), 'c.received_at') }}
        as reply_deadline_at,
    {{ dbt.dateadd('day', var('complaint_resolve_days'), 'c.received_at') }}
        as resolve_deadline_at,
    {{ dbt.dateadd('day', var('complaint_callback_days'), 'm.first_closed_at') }}
        as callback_deadline_at,
    cast(
        {{ dbt.datediff('c.received_at', 'm.first_reply_at', 'millisecond') }}
        as double
    ) / 3600000 as hours_to_first_reply,
    a.as_of
from complaints as c
cross join as_of as a
left join milestones as m on c.complaint_id = m.complaint_id
left join reached_callbacks as cb
    on
        c.complaint_id = cb.complaint_id
        and cb.callback_rank = 1
left join after_close as ac on c.complaint_id = ac.complaint_id
left join repeats as r on c.complaint_id = r.complaint_id
