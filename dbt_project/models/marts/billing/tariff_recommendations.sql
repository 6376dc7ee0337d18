{#- Tariff guide (资费导购) per customer and month with usage, up to the as_of month: the
    billed plan and its cost for the month's usage, the cheapest plan available that month
    and its cost, the saving (negative when the billed plan is a withdrawn one cheaper than
    anything still sold) and the overpay flag of tariff_overpay_rate. Masked phone only. -#}
select
    customer_key,
    msisdn_masked,
    usage_month,
    voice_minutes,
    sms_count,
    data_mb,
    billed_plan_code,
    billed_plan_cost,
    cheapest_plan_code,
    cheapest_plan_cost,
    saving,
    saving_share,
    is_overpaying
from {{ ref('int_tariff__monthly_costs') }}
