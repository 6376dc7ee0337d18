{#- One row per complaint received at or before as_of, with its timeline as known at as_of,
    for the complaints pages. summary is untrusted free text: readers must escape it. -#}
select
    t.complaint_id,
    t.received_at,
    t.received_on,
    t.channel,
    t.category,
    t.urgency,
    t.msisdn_masked,
    t.first_owner_staff_id,
    s.staff_name as first_owner_name,
    t.hall_id,
    h.hall_name,
    t.status,
    t.first_reply_at,
    t.hours_to_first_reply,
    t.reply_deadline_at,
    t.first_closed_at,
    t.resolve_deadline_at,
    t.first_reached_callback_at,
    t.first_reached_callback_outcome,
    t.first_callback_after_close_at,
    t.escalations,
    t.reopenings_after_close,
    t.is_repeat,
    c.summary,
    t.as_of
from {{ ref('int_complaints__timeline') }} as t
inner join {{ ref('stg_complaints__complaints') }} as c on t.complaint_id = c.complaint_id
left join {{ ref('stg_reference__staff') }} as s on t.first_owner_staff_id = s.staff_id
left join {{ ref('stg_reference__halls') }} as h on t.hall_id = h.hall_id
