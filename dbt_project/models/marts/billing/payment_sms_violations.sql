{#- Compliance list (缴费到账提醒): every assessed payment whose confirmation SMS was not sent
    within 10 minutes of it: never sent (no_sms), sent after the 10 minutes (sms_late) or
    stamped before the payment itself (sms_before_payment). Payments still inside their
    10 minutes are not listed. Masked phone only. -#}
select
    payment_id,
    customer_key,
    msisdn_masked,
    paid_at,
    amount,
    channel,
    confirm_deadline_at,
    confirm_sms_at,
    confirm_sms_seconds,
    case
        when confirm_sms_at is null then 'no_sms'
        when confirm_sms_at > confirm_deadline_at then 'sms_late'
        else 'sms_before_payment'
    end as violation
from {{ ref('int_payments__assessed') }}
where is_assessed and not is_confirmed_in_time
