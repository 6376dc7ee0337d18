{#- Compliance list (收费误差、双倍返还): every verified billing error whose refund is short
    of twice the error, later than 7 days after verification, or still missing after them.
    Errors still inside their 7 days are not listed. Masked phone only. -#}
select
    dispute_id,
    customer_key,
    msisdn_masked,
    complaint_id,
    bill_month,
    item_code,
    claimed_amount,
    verified_at,
    verified_error_amount,
    required_refund_amount,
    refund_deadline_at,
    refunded_at,
    refund_amount,
    required_refund_amount - coalesce(refund_amount, 0) as refund_shortfall,
    cast(
        {{ dbt.datediff('verified_at', 'refunded_at', 'millisecond') }}
        as double
    ) / 86400000 as days_to_refund,
    violation
from {{ ref('int_billing_disputes__assessed') }}
where is_assessed and not is_promise_kept
