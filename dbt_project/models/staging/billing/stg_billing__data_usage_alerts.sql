{#- `month` is renamed: it is a keyword on Spark and in most dialects. -#}
select
    customer_key,
    msisdn_masked,
    month as alert_month,
    threshold_pct,
    crossed_at,
    alert_sent_at,
    {{ dbt.datediff('crossed_at', 'alert_sent_at', 'millisecond') }}
    / 1000.0 as alert_seconds,
    _loaded_at
from {{ source('billing', 'data_usage_alerts') }}
