{#- KPI parts of the billing domain (kpis.md, "Billing and service commitments").
    billing_error_rate and tariff_overpay_rate are month-grain only (anchored on the bill or
    usage month); the others are day rows that marts.kpi_values rolls up.
    Segments: item_code (errors, double refund), order_channel (VAS), channel (payments),
    threshold_pct (data alerts); suspension_reminder and tariff_overpay_rate have none. -#}

with

{# A bill item is erroneous when a dispute on the same customer, month and item found an
    error (verified at or before as_of); several such disputes still make one item. #}
erroneous_items as (
    select distinct
        customer_key,
        bill_month,
        item_code
    from {{ ref('int_billing_disputes__assessed') }}
),

{# The billing error rate counts bill items per month and item apart from the erroneous
    ones, which are those of the billed dispute keys (int_billing_disputes__billed) found
    erroneous. A bill's key is the customer, month and item, so each erroneous key billed
    is one bill item, and a dispute on an item not billed counts for nothing. Counted
    apart, the 41.5 M items of a city year are not each flagged by a join, and the count
    itself is kept month by month (int_bill_items__monthly_counts; figures in
    docs/benchmarks.md). #}
bill_item_counts as (
    select
        bill_month,
        item_code,
        billed_items as assessed
    from {{ ref('int_bill_items__monthly_counts') }}
),

erroneous_bill_items as (
    select
        e.bill_month,
        e.item_code,
        count(*) as hits
    from erroneous_items as e
    inner join {{ ref('int_billing_disputes__billed') }} as b
        on
            e.customer_key = b.customer_key
            and e.bill_month = b.bill_month
            and e.item_code = b.item_code
    group by e.bill_month, e.item_code
),

{# Every KPI's counts per anchor day (or month) and segment code: each source is grouped on
    its own, on its own columns, so no step groups the union of some 80 M items (most of
    them bill items) on the text keys kpi_id and segment_type. #}
by_segment as (
    select
        'billing_error_rate' as kpi_id,
        'month' as grain,
        c.bill_month as period_start,
        'item_code' as segment_type,
        coalesce(c.item_code, 'unknown') as segment_value,
        coalesce(h.hits, 0) as hits,
        c.assessed
    from bill_item_counts as c
    left join erroneous_bill_items as h
        on
            c.bill_month = h.bill_month
            and c.item_code = h.item_code
    union all
    select
        'billing_double_refund' as kpi_id,
        'day' as grain,
        verified_on as period_start,
        'item_code' as segment_type,
        coalesce(item_code, 'unknown') as segment_value,
        sum(case when is_promise_kept then 1 else 0 end) as hits,
        count(*) as assessed
    from {{ ref('int_billing_disputes__assessed') }}
    where is_assessed
    group by verified_on, item_code
    union all
    select
        'vas_second_confirmation' as kpi_id,
        'day' as grain,
        first_charged_on as period_start,
        'order_channel' as segment_type,
        coalesce(order_channel, 'unknown') as segment_value,
        sum(case when is_confirmed_before_charge then 1 else 0 end) as hits,
        count(*) as assessed
    from {{ ref('int_vas_orders__assessed') }}
    group by first_charged_on, order_channel
    union all
    select
        'vas_charge_reminder' as kpi_id,
        'day' as grain,
        first_charged_on as period_start,
        'order_channel' as segment_type,
        coalesce(order_channel, 'unknown') as segment_value,
        sum(case when is_reminded_before_charge then 1 else 0 end) as hits,
        count(*) as assessed
    from {{ ref('int_vas_orders__assessed') }}
    group by first_charged_on, order_channel
    union all
    select
        'suspension_reminder' as kpi_id,
        'day' as grain,
        suspended_on as period_start,
        'all' as segment_type,
        'all' as segment_value,
        sum(case when is_reminded_in_time then 1 else 0 end) as hits,
        count(*) as assessed
    from {{ ref('int_suspensions__assessed') }}
    where is_arrears
    group by suspended_on
    union all
    select
        'payment_confirmation_sms' as kpi_id,
        'day' as grain,
        paid_on as period_start,
        'channel' as segment_type,
        coalesce(channel, 'unknown') as segment_value,
        sum(case when is_confirmed_in_time then 1 else 0 end) as hits,
        count(*) as assessed
    from {{ ref('int_payments__assessed') }}
    where is_assessed
    group by paid_on, channel
    union all
    select
        'data_alert_timeliness' as kpi_id,
        'day' as grain,
        crossed_on as period_start,
        'threshold_pct' as segment_type,
        coalesce(cast(threshold_pct as {{ dbt.type_string() }}), 'unknown') as segment_value,
        sum(case when is_alerted_in_time then 1 else 0 end) as hits,
        count(*) as assessed
    from {{ ref('int_data_usage_alerts__assessed') }}
    where is_assessed
    group by crossed_on, threshold_pct
    union all
    select
        'tariff_overpay_rate' as kpi_id,
        'month' as grain,
        usage_month as period_start,
        'all' as segment_type,
        'all' as segment_value,
        sum(case when is_overpaying then 1 else 0 end) as hits,
        count(*) as assessed
    from {{ ref('int_tariff__monthly_costs') }}
    where is_assessed
    group by usage_month
)

{# The 'all' row of every KPI sums its segment rows. #}
select
    kpi_id,
    grain,
    period_start,
    'all' as segment_type,
    'all' as segment_value,
    cast(sum(hits) as double) as numerator,
    cast(sum(assessed) as double) as denominator
from by_segment
group by kpi_id, grain, period_start
union all
select
    kpi_id,
    grain,
    period_start,
    segment_type,
    segment_value,
    cast(hits as double) as numerator,
    cast(assessed as double) as denominator
from by_segment
where segment_type <> 'all'
