{#- `month` is renamed: it is a keyword on Spark and in most dialects. -#}
select
    customer_key,
    msisdn_masked,
    month as alert_month,
    threshold_pct,
    crossed_at,
    alert_sent_at,
    cast(
        {{ dbt.datediff('crossed_at', 'alert_sent_at', 'millisecond') }}
        as double
    ) / 1000 as alert_seconds,
    _loaded_at
from {{ source('billing', 'data_usage_alerts') }}
