{#- The KPI table of kpis.md: every domain's parts (the list is the var kpi_part_models),
    day rows rolled up to ISO week and month by summing numerators and denominators (rates
    are never averaged) for every KPI that brings no rows of another grain itself, and
    value, target and meets_target from the kpi_catalog seed. -#}
with parts as (
    {%- for part_model in var('kpi_part_models') %}
    select
        kpi_id,
        grain,
        period_start,
        segment_type,
        segment_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from {{ ref(part_model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

own_grains as (
    select distinct kpi_id
    from parts
    where grain <> 'day'
),

days as (
    select *
    from parts
    where
        grain = 'day'
        and kpi_id not in (select own_grains.kpi_id from own_grains)
),

rolled_up as (
    select
        kpi_id,
        'week' as grain,
        cast({{ dbt.date_trunc('week', 'period_start') }} as date) as period_start,
        segment_type,
        segment_value,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from days
    group by 1, 2, 3, 4, 5

    union all

    select
        kpi_id,
        'month' as grain,
        cast({{ dbt.date_trunc('month', 'period_start') }} as date) as period_start,
        segment_type,
        segment_value,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from days
    group by 1, 2, 3, 4, 5
),

kpi_rows as (
    select * from parts
    union all
    select * from rolled_up
),

valued as (
    select
        k.kpi_id,
        k.grain,
        k.period_start,
        k.segment_type,
        k.segment_value,
        k.numerator,
        k.denominator,
        c.target,
        c.direction,
        k.numerator / nullif(k.denominator, 0) as value
    from kpi_rows as k
    left join {{ ref('kpi_catalog') }} as c on k.kpi_id = c.kpi_id
)

select
    kpi_id,
    grain,
    period_start,
    segment_type,
    segment_value,
    numerator,
    denominator,
    value,
    target,
    case
        when value is null or target is null then null
        when direction = 'higher_better' then value >= target
        else value <= target
    end as meets_target
from valued
