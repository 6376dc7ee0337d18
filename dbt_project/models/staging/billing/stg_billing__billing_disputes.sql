select
    dispute_id,
    customer_key,
    msisdn_masked,
    complaint_id,
    raised_at,
    bill_month,
    item_code,
    claimed_amount,
    verified_at,
    verified_error_amount,
    refund_amount,
    refunded_at,
    _loaded_at
from {{ source('billing', 'billing_disputes') }}
