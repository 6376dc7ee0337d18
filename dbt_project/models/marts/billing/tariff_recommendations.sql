{#- Tariff guide (资费导购) per customer and month with usage, up to the as_of month: the
    billed plan and its cost for the month's usage, the cheapest plan available that month
    and its cost, the saving (negative when the billed plan is a withdrawn one cheaper than
    anything still sold) and the overpay flag of tariff_overpay_rate. Masked phone only.

    Incremental by month, following int_tariff__monthly_costs: a month it recomputed from a
    newer load (or a reloaded plan catalogue) carries a newer _loaded_at; a month it added
    because as_of reached it is one this table does not hold; a month after as_of leaves
    both tables when as_of moves back (as_of_column). -#}
{#- The as_of hooks read int_as_of, which the SQL below does not. #}
-- depends_on: {{ ref('int_as_of') }}
{%- set cfg = incremental_config('usage_month', as_of_column='usage_month') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

select
    customer_key,
    msisdn_masked,
    voice_minutes,
    sms_count,
    data_mb,
    billed_plan_code,
    billed_plan_cost,
    cheapest_plan_code,
    cheapest_plan_cost,
    saving,
    saving_share,
    is_overpaying,
    _loaded_at,
    {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
    usage_month
from {{ ref('int_tariff__monthly_costs') }}
{%- if is_incremental() %}
{#- Strictly newer: rows of the stored _loaded_at were taken when they were built. #}
where usage_month in (
    select recomputed.usage_month
    from {{ ref('int_tariff__monthly_costs') }} as recomputed
    where recomputed._loaded_at > (select max(built._loaded_at) from {{ this }} as built)
    union
    {#- Months, not rows, on both sides: NOT IN over every stored row cost a city run
        a third of a second. #}
    select held.usage_month
    from (select distinct m.usage_month from {{ ref('int_tariff__monthly_costs') }} as m) as held
    where held.usage_month not in (select distinct built.usage_month from {{ this }} as built)
)
{%- endif %}
