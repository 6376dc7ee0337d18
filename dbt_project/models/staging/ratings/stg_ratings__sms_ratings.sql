{#- Reply parsing of kpis.md, steps in their order. reply_status and reply_code do not
    depend on as_of: a reply later than as_of is treated as absent downstream. -#}
with invitations as (
    select
        invitation_id,
        channel,
        hall_id,
        staff_id,
        service_type,
        customer_key,
        msisdn_masked,
        served_at,
        invited_at,
        delivery_status,
        reply_at,
        reply_text,
        {{ normalize_reply_text('reply_text') }} as reply_normalized,
        _loaded_at
    from {{ source('ratings', 'sms_ratings') }}
),

classified as (
    select
        *,
        case
            when reply_text is null then 'no_reply'
            when
                reply_at > {{ dbt.dateadd('hour', var('rating_reply_hours'), 'invited_at') }}
                then 'late'
            when
                reply_normalized in ('TD', '0', '退订')
                or reply_normalized like '退订%'
                then 'opt_out'
            when
                substring(reply_normalized, 1, 1) in ('1', '2', '3')
                and (
                    length(reply_normalized) = 1
                    or substring(reply_normalized, 2, 1) not between '0' and '9'
                )
                then 'code'
            when
                reply_normalized like '不满意%'
                or reply_normalized like '非常不满意%'
                then 'code_3'
            when
                reply_normalized like '基本满意%'
                or reply_normalized like '一般%'
                or reply_normalized like '还行%'
                then 'code_2'
            when
                reply_normalized like '满意%'
                or reply_normalized like '非常满意%'
                then 'code_1'
            else 'invalid'
        end as parse_step
    from invitations
)

select
    invitation_id,
    channel,
    hall_id,
    staff_id,
    service_type,
    customer_key,
    msisdn_masked,
    served_at,
    invited_at,
    delivery_status,
    reply_at,
    reply_text,
    reply_normalized,
    _loaded_at,
    case
        when parse_step in ('code', 'code_1', 'code_2', 'code_3') then 'valid'
        else parse_step
    end as reply_status,
    case
        when parse_step = 'code' then cast(substring(reply_normalized, 1, 1) as integer)
        when parse_step = 'code_1' then 1
        when parse_step = 'code_2' then 2
        when parse_step = 'code_3' then 3
    end as reply_code
from classified
