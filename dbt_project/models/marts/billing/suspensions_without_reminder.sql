{#- Compliance list (先提醒，后停机): every arrears suspension at or before as_of without a
    reminder sent at least 24 hours before it. Masked phone only. -#}
select
    suspension_id,
    customer_key,
    msisdn_masked,
    suspended_at,
    reminder_due_at,
    reminder_sent_at,
    reminder_notice_hours,
    restored_at,
    case
        when reminder_sent_at is null then 'no_reminder'
        else 'reminder_too_late'
    end as violation
from {{ ref('int_suspensions__assessed') }}
where is_arrears and not is_reminded_in_time
