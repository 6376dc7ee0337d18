{#- One row per delivered invitation sent at or before as_of, with its reply as known at
    as_of: a reply later than as_of has not arrived yet (no_reply). The join to staging
    keeps exactly the rows loaded now, should a corrected delivery have removed one. -#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

current_rows as (
    select
        invitation_id,
        _loaded_at
    from {{ ref('stg_ratings__sms_ratings') }}
),

invitations as (
    select p.*
    from {{ ref('int_sms_ratings__parsed') }} as p
    inner join current_rows as c
        on
            p.invitation_id = c.invitation_id
            and p._loaded_at = c._loaded_at
    where p.delivery_status = 'delivered'
),

known as (
    select
        i.invitation_id,
        i.channel,
        i.hall_id,
        i.staff_id,
        i.service_type,
        i.customer_key,
        i.invited_at,
        i.invited_on,
        cast({{ dbt.date_trunc('month', 'i.invited_on') }} as date) as invited_month,
        case when i.reply_at <= a.as_of then i.reply_at end as reply_at,
        case when i.reply_at <= a.as_of then i.reply_status else 'no_reply' end as reply_status,
        case when i.reply_at <= a.as_of then i.reply_code end as reply_code,
        {{ dbt.dateadd('hour', var('rating_reply_hours'), 'i.invited_at') }} as reply_deadline_at,
        a.as_of
    from invitations as i
    cross join as_of as a
    where i.invited_at <= a.as_of
)

select
    *,
    {# Response-rate denominator (deadline rule): a reply of any kind but late, or the reply
        window over. #}
    (
        reply_status in ('valid', 'invalid', 'opt_out') or as_of > reply_deadline_at
    ) as is_response_assessed
from known
