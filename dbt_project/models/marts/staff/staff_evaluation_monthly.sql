{#- 自动生成评价表 (kpis.md, "Staff evaluation table"): one row per month and staff member
    with any delivered invitation. Ratings of a staff_id that is not loaded are orphans
    and left out (the row needs the staff member). -#}
{%- set z = var('wilson_z') %}
{%- set min_replies = var('staff_rank_min_valid_replies') %}

with ratings as (
    select * from {{ ref('int_sms_ratings__facts') }}
    where staff_id is not null
),

staff as (
    select * from {{ ref('stg_reference__staff') }}
),

by_month as (
    select
        r.invited_month as month,
        r.staff_id,
        count(*) as invitations,
        sum(case when r.reply_status = 'valid' then 1 else 0 end) as valid_replies,
        sum(case when r.reply_code = 1 then 1 else 0 end) as code_1_replies,
        sum(case when r.reply_code = 2 then 1 else 0 end) as code_2_replies,
        sum(case when r.reply_code = 3 then 1 else 0 end) as code_3_replies
    from ratings as r
    inner join staff as s on r.staff_id = s.staff_id
    group by r.invited_month, r.staff_id
),

{# Wilson score interval, lower bound: (p + z²/2n - z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    with p = code-1 share of valid replies, n = valid replies. #}
rated as (
    select
        *,
        cast(code_1_replies as double) / nullif(valid_replies, 0) as satisfaction_rate,
        (
            cast(code_1_replies as double) / nullif(valid_replies, 0)
            + {{ z }} * {{ z }} / (2.0 * nullif(valid_replies, 0))
            - {{ z }} * sqrt(
                (cast(code_1_replies as double) / nullif(valid_replies, 0))
                * (1 - cast(code_1_replies as double) / nullif(valid_replies, 0))
                / nullif(valid_replies, 0)
                + {{ z }} * {{ z }} / (4.0 * valid_replies * nullif(valid_replies, 0))
            )
        )
        / (1 + {{ z }} * {{ z }} / nullif(valid_replies, 0)) as satisfaction_wilson_lower
    from by_month
),

complaints_owned as (
    select
        cast({{ dbt.date_trunc('month', 'received_on') }} as date) as month,
        first_owner_staff_id as staff_id,
        count(*) as complaints_first_owned
    from {{ ref('int_complaints__timeline') }}
    group by cast({{ dbt.date_trunc('month', 'received_on') }} as date), first_owner_staff_id
),

{# Hotline agents' answered agent requests and FCR, by month of call start. #}
hotline as (
    select
        cast({{ dbt.date_trunc('month', 'call_start_at') }} as date) as month,
        agent_id as staff_id,
        sum(case when is_answered then 1 else 0 end) as hotline_answered_calls,
        sum(case when fcr_eligible then 1 else 0 end) as hotline_fcr_assessed,
        sum(case when fcr_resolved then 1 else 0 end) as hotline_fcr_resolved
    from {{ ref('int_hotline_calls__facts') }}
    where agent_id is not null
    group by cast({{ dbt.date_trunc('month', 'call_start_at') }} as date), agent_id
)

select
    r.month,
    r.staff_id,
    s.staff_name,
    s.hall_id,
    h.hall_name,
    s.team,
    r.invitations,
    r.valid_replies,
    r.code_1_replies,
    r.code_2_replies,
    r.code_3_replies,
    r.satisfaction_rate,
    r.satisfaction_wilson_lower,
    {# Too few valid replies to rank fairly: no rank, and not counted in the others' ranks. #}
    case
        when r.valid_replies >= {{ min_replies }}
            then rank() over (
                partition by r.month, s.team, r.valid_replies >= {{ min_replies }}
                order by r.satisfaction_wilson_lower desc
            )
    end as rank_in_team,
    prev_month.satisfaction_rate as previous_month_satisfaction_rate,
    coalesce(c.complaints_first_owned, 0) as complaints_first_owned,
    case
        when s.team = 'hotline' then coalesce(hl.hotline_answered_calls, 0)
    end as hotline_answered_calls,
    case
        when s.team = 'hotline' then coalesce(hl.hotline_fcr_assessed, 0)
    end as hotline_fcr_assessed,
    case
        when s.team = 'hotline' then coalesce(hl.hotline_fcr_resolved, 0)
    end as hotline_fcr_resolved,
    case
        when s.team = 'hotline'
            then cast(hl.hotline_fcr_resolved as double) / nullif(hl.hotline_fcr_assessed, 0)
    end as hotline_fcr_rate
from rated as r
inner join staff as s on r.staff_id = s.staff_id
left join {{ ref('stg_reference__halls') }} as h on s.hall_id = h.hall_id
left join rated as prev_month
    on
        r.staff_id = prev_month.staff_id
        and prev_month.month = cast({{ dbt.dateadd('month', -1, 'r.month') }} as date)
left join complaints_owned as c
    on
        r.month = c.month
        and r.staff_id = c.staff_id
left join hotline as hl
    on
        r.month = hl.month
        and r.staff_id = hl.staff_id
