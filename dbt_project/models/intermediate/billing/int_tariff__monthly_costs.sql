{#- Tariff guide (资费导购): per subscriber-month with usage, what the month would have cost
    under the billed plan and under the cheapest plan available that month (kpis.md:
    monthly_fee + overage above each allowance at the plan's prices). Money stays DECIMAL.

    Incremental by month (macro incremental_config): the plan x usage product is the
    biggest join of the billing domain, and a month is final once its usage and bill are
    delivered. A run recomputes the months whose usage or bill rows were loaded since the
    last run, every month when the plan catalogue was reloaded, and any month the table does
    not hold (e.g. one that as_of has just reached). A month later than the as_of date
    leaves the table when as_of moves back (as_of_column: a month's first day is later
    than as_of exactly when the month starts after the as_of date). -#}
{%- set cfg = incremental_config('usage_month', as_of_column='usage_month') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

plans as (
    select * from {{ ref('stg_reference__plans') }}
),

plans_loaded as (
    select max(_loaded_at) as plans_loaded_at from plans
),

{% if is_incremental() %}
{# Months the table does not hold are computed too: new ones, those after as_of at the last
    build, and those dropped when as_of moved back. #}
changed_months as (
    select u.usage_month
    from {{ ref('stg_billing__usage_monthly') }} as u
    where {{ stamped_since_last_build('_loaded_at', 'u') }}
    union
    {#- Months, not rows, on both sides: NOT IN over every stored row cost a city run
        a third of a second. #}
    select u.usage_month
    from (select distinct m.usage_month from {{ ref('stg_billing__usage_monthly') }} as m) as u
    where u.usage_month not in (select distinct built.usage_month from {{ this }} as built)
    union
    select b.bill_month as usage_month
    from {{ ref('stg_billing__bill_items') }} as b
    where {{ stamped_since_last_build('_loaded_at', 'b') }}
    union
    {#- A plan delivered since then prices every month again. #}
    select u.usage_month
    from {{ ref('stg_billing__usage_monthly') }} as u
    where exists (
        select 1 from plans as p
        where {{ stamped_since_last_build('_loaded_at', 'p') }}
    )
),
{% endif %}

usage as (
    select u.*
    from {{ ref('stg_billing__usage_monthly') }} as u
    cross join as_of
    where
        {% if is_incremental() -%}
            u.usage_month in (select c.usage_month from changed_months as c) and
        {% endif -%}
        u.usage_month <= cast(as_of.as_of as date)
),

{# The plan billed that month: the plan_code on the monthly-fee item, else the smallest code
    (a bill carries one plan; this only settles a malformed bill deterministically). An
    aggregate, not a ranking of the bill items: the same answer (plan_code is required) for
    less than half the work on a city's 41 M items. #}
billed as (
    select
        customer_key,
        bill_month,
        coalesce(
            min(case when item_code = 'monthly_plan' then plan_code end), min(plan_code)
        ) as plan_code,
        max(_loaded_at) as bill_loaded_at
    from {{ ref('stg_billing__bill_items') }}
    {#- Only the months recomputed: aggregating every bill of the year cost more than the
        rest of an incremental run. #}
    {%- if is_incremental() %}
    where bill_month in (select c.usage_month from changed_months as c)
    {%- endif %}
    group by customer_key, bill_month
),

{# The plans on sale on each month's first day. The months are read from the staging view
    again, not from usage: DuckDB holds a CTE read twice in memory, and 11 M usage rows
    held there made the model spill twice as much and, at times, run out of memory. #}
plan_months as (
    select
        m.usage_month,
        p.plan_code,
        p.monthly_fee,
        p.included_voice_minutes,
        p.included_sms,
        p.included_data_mb,
        p.voice_overage_per_minute,
        p.sms_overage_each,
        p.data_overage_per_mb,
        {#- The plan's place in code order, which breaks ties on cost (cheapest, below). #}
        dense_rank() over (order by p.plan_code) as code_order
    from (
        select distinct months.usage_month
        from {{ ref('stg_billing__usage_monthly') }} as months
    ) as m
    cross join plans as p
    where
        p.available_from <= m.usage_month
        and (p.available_to is null or p.available_to >= m.usage_month)
),

{# The billed plan is priced whether or not it is still sold. #}
billed_costs as (
    select
        u.customer_key,
        u.msisdn_masked,
        u.usage_month,
        u.voice_minutes,
        u.sms_count,
        u.data_mb,
        b.plan_code as billed_plan_code,
        {{ tariff_plan_cost('u', 'bp') }} as billed_plan_cost,
        {#- When the billed plan is on sale it is a candidate, so the cheapest costs at most
            as much: no dearer plan can be the cheapest. #}
        case when sold.plan_code is not null then {{ tariff_plan_cost('u', 'bp') }} end
            as cheapest_cost_bound,
        greatest(u._loaded_at, b.bill_loaded_at, pl.plans_loaded_at) as _loaded_at
    from usage as u
    cross join plans_loaded as pl
    left join billed as b
        on
            u.customer_key = b.customer_key
            and u.usage_month = b.bill_month
    left join plans as bp
        on b.plan_code = bp.plan_code
    left join plan_months as sold
        on
            u.usage_month = sold.usage_month
            and b.plan_code = sold.plan_code
),

{# Every plan on sale is priced for every usage row (130 M pairs at city scale), but only
    those no dearer than the bound compete (21 M). The cheapest is an aggregate, not a
    ranking of those pairs: min_by over the cost in fen times 1000 plus the plan's place in
    code order takes the lowest cost and, on equal cost, the lower code (fewer than 1000
    plans on sale). A window partitioned by subscriber-month sorted the pairs and, beside
    another model, ran out of memory at city scale.
    The aggregate groups on the billed columns (billed_costs holds one row per
    subscriber-month), so billed_costs is read once: joining the cheapest plans back to it
    made DuckDB hold its 11 M rows in memory for the second read and join two 11 M-row
    sides (city: 33 s → 31 s). Every row keeps a pair: with no plan on sale that month, the left join's empty
    pair (cheapest NULL); else at least the billed plan, whose cost equals the bound. #}
{%- set billed_columns = [
    'customer_key', 'msisdn_masked', 'usage_month', 'voice_minutes', 'sms_count', 'data_mb',
    'billed_plan_code', 'billed_plan_cost', '_loaded_at',
] %}
costed as (
    select
        {%- for column in billed_columns %}
        {{ column }},
        {%- endfor %}
        cast(billed_plan_cost - min(plan_cost) as decimal(18, 2)) as saving,
        min_by(plan_code, plan_cost * 100000 + code_order) as cheapest_plan_code,
        min(plan_cost) as cheapest_plan_cost
    from (
        select
            bc.*,
            pm.plan_code,
            pm.code_order,
            {{ tariff_plan_cost('bc', 'pm') }} as plan_cost
        from billed_costs as bc
        left join plan_months as pm
            on bc.usage_month = pm.usage_month
    ) as priced
    where cheapest_cost_bound is null or plan_cost <= cheapest_cost_bound
    group by {{ billed_columns | join(', ') }}
)

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
    {#- A quotient of DECIMALs is DOUBLE on DuckDB but DECIMAL on Spark: say double. #}
    cast(saving as double) / nullif(billed_plan_cost, 0) as saving_share,
    {#- Assessed: usage and a billed plan that the catalogue can price. #}
    billed_plan_cost is not null as is_assessed,
    coalesce(
        saving >= {{ var('tariff_min_saving_yuan') }}
        and saving >= {{ var('tariff_min_saving_share') }} * billed_plan_cost,
        false
    ) as is_overpaying,
    _loaded_at,
    {#- The grain test checks the rows of the latest build (unique_combination). #}
    {{ build_stamp() }} as _built_at,
    {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
    usage_month
from costed
