{#- The individual SMS ratings behind marts.staff_evaluation_monthly: one row per delivered
    invitation sent at or before as_of to a loaded staff member (the same population, so
    each row of the table can be opened up). The reply is as known at as_of: a reply
    arriving later has neither text nor code yet. reply_text is the customer's raw text
    (untrusted: readers must not render it as HTML or formulas). Masked phone only. -#}
with facts as (
    select * from {{ ref('int_sms_ratings__facts') }}
    where staff_id is not null
),

replies as (
    select
        invitation_id,
        msisdn_masked,
        reply_text
    from {{ ref('stg_ratings__sms_ratings') }}
),

staff as (
    select staff_id from {{ ref('stg_reference__staff') }}
)

select
    f.invitation_id,
    f.staff_id,
    f.invited_month,
    f.invited_at,
    f.channel,
    f.hall_id,
    f.service_type,
    r.msisdn_masked,
    f.reply_at,
    {# facts keep reply_at only for a reply at or before as_of. #}
    case when f.reply_at is not null then r.reply_text end as reply_text,
    f.reply_status,
    f.reply_code
from facts as f
inner join staff as s on f.staff_id = s.staff_id
inner join replies as r on f.invitation_id = r.invitation_id
