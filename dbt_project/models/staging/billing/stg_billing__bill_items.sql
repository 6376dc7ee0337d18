select
    bill_month,
    customer_key,
    msisdn_masked,
    item_code,
    amount,
    plan_code,
    _loaded_at
from {{ source('billing', 'bill_items') }}
