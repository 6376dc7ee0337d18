{#- Compliance list (流量提醒): every assessed crossing of a data-allowance threshold whose
    alert was not sent within 60 minutes of it: never sent (no_alert), sent after the 60
    minutes (alert_late) or stamped before the crossing itself (alert_before_crossing).
    Crossings still inside their 60 minutes are not listed. Masked phone only. -#}
select
    customer_key,
    msisdn_masked,
    alert_month,
    threshold_pct,
    crossed_at,
    alert_deadline_at,
    alert_sent_at,
    alert_seconds,
    case
        when alert_sent_at is null then 'no_alert'
        when alert_sent_at > alert_deadline_at then 'alert_late'
        else 'alert_before_crossing'
    end as violation
from {{ ref('int_data_usage_alerts__assessed') }}
where is_assessed and not is_alerted_in_time
