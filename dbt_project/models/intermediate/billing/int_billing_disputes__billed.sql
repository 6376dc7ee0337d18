{#- The bill items that disputes name: one row per customer, bill month and item named by
    a loaded dispute (verified or not, as the verification depends on as_of) that a loaded
    bill item holds. int_kpi_parts__billing counts the erroneous ones among them, so that
    the daily build no longer matches the disputes against all 41.5 M bill items of a city
    year (the pseudonym of every item read, 2.3-2.8 s of a day's build).

    Incremental by bill month: a run rebuilds the months of the disputes and of the bill
    items loaded since its last build (a dispute names any earlier month; bills arrive
    monthly), and a rebuilt month left without a billed dispute gets a placeholder
    (emptied_partitions). _loaded_at is the later of the dispute's and the bill item's
    loads, so a load holding only disputes on unbilled items leaves the newest held stamp
    behind it: the next run takes their months again, which costs time, not correctness. -#}
{%- set cfg = incremental_config('bill_month', placeholder_column='item_code') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

with
{%- if is_incremental() %}
{%- set billed_months -%}
    select b.bill_month
    from {{ ref('stg_billing__bill_items') }} as b
    where {{ stamped_since_last_build('_loaded_at', 'b') }}
{%- endset %}
rebuilt_months as (
    select distinct touched.touched_partition
    from ({{ touched_partition_set(
        ref('stg_billing__billing_disputes'), 'bill_month', also_partitions=billed_months
    ) }}) as touched
),
{%- endif %}

disputed as (
    select
        d.customer_key,
        d.bill_month,
        d.item_code,
        max(d._loaded_at) as _loaded_at
    from {{ ref('stg_billing__billing_disputes') }} as d
    {%- if is_incremental() %}
    where d.bill_month in (select r.touched_partition from rebuilt_months as r)
    {%- endif %}
    group by d.customer_key, d.bill_month, d.item_code
),

{# The disputed keys are few (a handful a day), so the join pushes their months into the
    scan of the bill items, whose row groups hold one month each. #}
kept as (
    select
        d.customer_key,
        d.item_code,
        case when max(b._loaded_at) > d._loaded_at then max(b._loaded_at) else d._loaded_at end
            as _loaded_at,
        {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
        d.bill_month
    from disputed as d
    inner join {{ ref('stg_billing__bill_items') }} as b
        on
            d.customer_key = b.customer_key
            and d.bill_month = b.bill_month
            and d.item_code = b.item_code
    group by d.customer_key, d.item_code, d._loaded_at, d.bill_month
)

select
    customer_key,
    item_code,
    _loaded_at,
    bill_month
from kept
{{ emptied_partitions(
    'kept', '(select r.touched_partition as bill_month from rebuilt_months as r)', 'bill_month'
) }}
