{#- The bill items of each bill month up to the as_of date, counted per item code: the
    denominator of billing_error_rate (int_kpi_parts__billing). Counted in the KPI parts,
    every daily build read all 41.5 M bill items of a city year for a count that changes
    once a month, when that month's bills arrive.

    Incremental by bill month (macro incremental_config): a run recounts the months holding
    a bill item loaded since its last build, and the months after the latest it holds,
    which as_of has reached since (a month counts from its first day on). When as_of moves
    back, the months after it leave the table (as_of_column). -#}
{%- set cfg = incremental_config('bill_month', as_of_column='bill_month') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
)

select
    b.item_code,
    count(*) as billed_items,
    max(b._loaded_at) as _loaded_at,
    {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
    b.bill_month
from {{ ref('stg_billing__bill_items') }} as b
cross join as_of
where
    {% if is_incremental() -%}
        {{ touched_partitions(
            ref('stg_billing__bill_items'),
            'bill_month',
            also_where=[later_than_held('bill_month')],
            range_column='bill_month'
        ) }}
        and
    {% endif -%}
    b.bill_month <= cast(as_of.as_of as date)
group by b.bill_month, b.item_code
