select
    plan_code,
    plan_name,
    monthly_fee,
    included_voice_minutes,
    included_sms,
    included_data_mb,
    voice_overage_per_minute,
    sms_overage_each,
    data_overage_per_mb,
    available_from,
    available_to,
    _loaded_at
from {{ source('reference', 'plans') }}
