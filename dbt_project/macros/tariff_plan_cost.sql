{#- What a month's usage would cost on a plan (kpis.md, tariff guide): the monthly fee plus
    the overage above each allowance at the plan's prices, as DECIMAL(18,2). `usage` and
    `plan` are the aliases of a row of stg_billing__usage_monthly and of
    stg_reference__plans. -#}
{% macro tariff_plan_cost(usage, plan) %}
    cast(
        {{ plan }}.monthly_fee
        + greatest({{ usage }}.voice_minutes - {{ plan }}.included_voice_minutes, 0)
        * {{ plan }}.voice_overage_per_minute
        + greatest({{ usage }}.sms_count - {{ plan }}.included_sms, 0) * {{ plan }}.sms_overage_each
        + greatest({{ usage }}.data_mb - {{ plan }}.included_data_mb, 0)
        * {{ plan }}.data_overage_per_mb
        as decimal(18, 2)
    )
{%- endmacro %}
