{#- `month` is renamed: it is a keyword on Spark and in most dialects. -#}
select
    customer_key,
    msisdn_masked,
    month as usage_month,
    voice_minutes,
    sms_count,
    data_mb,
    _loaded_at
from {{ source('billing', 'usage_monthly') }}
