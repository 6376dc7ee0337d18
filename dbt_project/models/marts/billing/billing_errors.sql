{#- Case list of the billing error rate (计费差错): every billing error verified at or before
    as_of (verified_error_amount > 0), with its bill month and item, the numerator of
    billing_error_rate (several disputes on one item make one erroneous item there). Its
    refund is judged in double_refund_violations. Masked phone only. -#}
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
    'verified_error' as violation
from {{ ref('int_billing_disputes__assessed') }}
