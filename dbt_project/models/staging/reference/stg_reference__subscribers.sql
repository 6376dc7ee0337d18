select
    customer_key,
    msisdn_masked,
    brand,
    vip,
    plan_code,
    home_hall_id,
    activated_on,
    deactivated_on,
    _loaded_at
from {{ source('reference', 'subscribers') }}
