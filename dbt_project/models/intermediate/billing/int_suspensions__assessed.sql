{#- Suspensions at or before as_of, with the 先提醒，后停机 check for arrears: a reminder
    sent at least 24 hours before the suspension. -#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

suspended as (
    select
        s.suspension_id,
        s.customer_key,
        s.msisdn_masked,
        s.suspended_at,
        s.reason,
        case when s.reminder_sent_at <= as_of.as_of then s.reminder_sent_at end
            as reminder_sent_at,
        case when s.reminder_sent_at <= as_of.as_of then s.reminder_notice_seconds end
            as reminder_notice_seconds,
        case when s.restored_at <= as_of.as_of then s.restored_at end as restored_at,
        {{ dbt.dateadd('hour', -var('billing_suspension_notice_hours'), 's.suspended_at') }}
            as reminder_due_at
    from {{ ref('stg_billing__suspensions') }} as s
    cross join as_of
    where s.suspended_at <= as_of.as_of
)

select
    suspension_id,
    customer_key,
    msisdn_masked,
    suspended_at,
    reason,
    reminder_sent_at,
    reminder_due_at,
    restored_at,
    cast(suspended_at as date) as suspended_on,
    reason = 'arrears' as is_arrears,
    reminder_notice_seconds / 3600 as reminder_notice_hours,
    coalesce(reminder_sent_at <= reminder_due_at, false) as is_reminded_in_time
from suspended
