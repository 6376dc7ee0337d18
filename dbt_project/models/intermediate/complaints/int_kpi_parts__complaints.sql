{#- KPI parts of the complaint KPIs (kpis.md, "Complaints"): day rows by channel and
    category, and complaints_per_10k with its own day, week and month rows, whose
    denominator is the subscriber stock on the period's first day. -#}
with timeline as (
    select * from {{ ref('int_complaints__timeline') }}
),

{# One row per complaint and KPI where the complaint is in the denominator. The deadline
    rule: assessed once the awaited event happened or as_of is past the deadline. #}
facts as (
    select
        'complaint_first_reply_48h' as kpi_id,
        received_on as anchor_date,
        channel,
        category,
        case when first_reply_at <= reply_deadline_at then 1 else 0 end as numerator,
        1 as denominator
    from timeline
    where first_reply_at is not null or as_of > reply_deadline_at

    union all

    select
        'complaint_resolved_15d' as kpi_id,
        received_on as anchor_date,
        channel,
        category,
        case when first_closed_at <= resolve_deadline_at then 1 else 0 end as numerator,
        1 as denominator
    from timeline
    where first_closed_at is not null or as_of > resolve_deadline_at

    union all

    select
        'complaint_satisfaction' as kpi_id,
        cast(first_reached_callback_at as date) as anchor_date,
        channel,
        category,
        case
            when first_reached_callback_outcome in ('satisfied', 'fairly_satisfied') then 1
            else 0
        end as numerator,
        1 as denominator
    from timeline
    where first_reached_callback_at is not null

    union all

    select
        'complaint_callback_rate' as kpi_id,
        cast(first_closed_at as date) as anchor_date,
        channel,
        category,
        case
            when first_callback_after_close_at <= callback_deadline_at then 1 else 0
        end as numerator,
        1 as denominator
    from timeline
    where
        first_closed_at is not null
        and (first_callback_after_close_at <= callback_deadline_at or as_of > callback_deadline_at)

    union all

    select
        'complaint_escalation_rate' as kpi_id,
        received_on as anchor_date,
        channel,
        category,
        case when escalations > 0 then 1 else 0 end as numerator,
        1 as denominator
    from timeline

    union all

    select
        'complaint_reopen_rate' as kpi_id,
        cast(first_closed_at as date) as anchor_date,
        channel,
        category,
        case when reopenings_after_close > 0 then 1 else 0 end as numerator,
        1 as denominator
    from timeline
    where first_closed_at is not null

    union all

    select
        'complaint_repeat_rate' as kpi_id,
        received_on as anchor_date,
        channel,
        category,
        case when is_repeat then 1 else 0 end as numerator,
        1 as denominator
    from timeline
),

{# complaints_per_10k: periods of each grain that start on or before the as_of date. #}
periods as (
    select distinct
        'day' as grain,
        date_day as period_start,
        date_day as first_day
    from {{ ref('int_complaints__days') }}

    union all

    select distinct
        'week' as grain,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as period_start,
        date_day as first_day
    from {{ ref('int_complaints__days') }}

    union all

    select distinct
        'month' as grain,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as period_start,
        date_day as first_day
    from {{ ref('int_complaints__days') }}
),

period_starts as (
    select distinct
        grain,
        period_start
    from periods
),

{# Subscriber stock as running sums of changes: +1 on activated_on, -1 on deactivated_on
    (a subscriber is active on a day when activated_on <= day < deactivated_on; a
    deactivation on or before activation cancels on the activation day). #}
stock_changes as (
    select
        activated_on as change_day,
        1 as stock_change
    from {{ ref('stg_reference__subscribers') }}

    union all

    select
        case when deactivated_on > activated_on then deactivated_on else activated_on end
            as change_day,
        -1 as stock_change
    from {{ ref('stg_reference__subscribers') }}
    where deactivated_on is not null
),

daily_changes as (
    select
        change_day,
        sum(stock_change) as stock_change
    from stock_changes
    group by change_day
),

stock as (
    select
        p.grain,
        p.period_start,
        coalesce(sum(c.stock_change), 0) as active_subscribers
    from period_starts as p
    left join daily_changes as c on p.period_start >= c.change_day
    group by p.grain, p.period_start
),

received as (
    select
        p.grain,
        p.period_start,
        t.channel,
        t.category
    from timeline as t
    inner join periods as p on t.received_on = p.first_day
),

{# Every period gets a row for every segment code seen, with zero complaints where none. #}
segment_codes as (
    select distinct
        'channel' as segment_type,
        channel as segment_value
    from timeline
    union all
    select distinct
        'category' as segment_type,
        category as segment_value
    from timeline
    union all
    select
        'all' as segment_type,
        'all' as segment_value
),

received_by_segment as (
    select
        grain,
        period_start,
        'all' as segment_type,
        'all' as segment_value,
        count(*) as complaints
    from received
    group by grain, period_start
    union all
    select
        grain,
        period_start,
        'channel' as segment_type,
        channel as segment_value,
        count(*) as complaints
    from received
    group by grain, period_start, channel
    union all
    select
        grain,
        period_start,
        'category' as segment_type,
        category as segment_value,
        count(*) as complaints
    from received
    group by grain, period_start, category
),

per_10k as (
    select
        'complaints_per_10k' as kpi_id,
        s.grain,
        s.period_start,
        codes.segment_type,
        codes.segment_value,
        cast(coalesce(r.complaints, 0) as double) as numerator,
        cast(s.active_subscribers as double) / 10000 as denominator
    from stock as s
    cross join segment_codes as codes
    left join received_by_segment as r
        on
            s.grain = r.grain
            and s.period_start = r.period_start
            and codes.segment_type = r.segment_type
            and codes.segment_value = r.segment_value
    where s.active_subscribers > 0
)

{{ kpi_parts_by_segment('facts', {'channel': 'channel', 'category': 'category'}) }}

union all

select
    kpi_id,
    grain,
    period_start,
    segment_type,
    segment_value,
    numerator,
    cast(denominator as double) as denominator
from per_10k
