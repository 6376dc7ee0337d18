{#- KPI parts of the billing domain (kpis.md, "Billing and service commitments").
    billing_error_rate and tariff_overpay_rate are month-grain only (anchored on the bill or
    usage month); the others are day rows that marts.kpi_values rolls up.
    Segments: item_code (errors, double refund), order_channel (VAS), channel (payments),
    threshold_pct (data alerts); suspension_reminder and tariff_overpay_rate have none. -#}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

{# A bill item is erroneous when a dispute on the same customer, month and item found an
    error (verified at or before as_of); several such disputes still make one item. #}
erroneous_items as (
    select distinct
        customer_key,
        bill_month,
        item_code
    from {{ ref('int_billing_disputes__assessed') }}
),

bill_items as (
    select
        b.bill_month,
        b.item_code,
        case when e.customer_key is not null then 1 else 0 end as is_erroneous
    from {{ ref('stg_billing__bill_items') }} as b
    cross join as_of
    left join erroneous_items as e
        on
            b.customer_key = e.customer_key
            and b.bill_month = e.bill_month
            and b.item_code = e.item_code
    where b.bill_month <= cast(as_of.as_of as date)
),

{# Every assessed item with its anchor day, segment code, and 1/0 numerator. #}
items as (
    select
        'billing_error_rate' as kpi_id,
        'month' as grain,
        bill_month as period_start,
        'item_code' as segment_type,
        item_code as segment_value,
        is_erroneous as hit
    from bill_items
    union all
    select
        'billing_double_refund' as kpi_id,
        'day' as grain,
        verified_on as period_start,
        'item_code' as segment_type,
        item_code as segment_value,
        case when is_promise_kept then 1 else 0 end as hit
    from {{ ref('int_billing_disputes__assessed') }}
    where is_assessed
    union all
    select
        'vas_second_confirmation' as kpi_id,
        'day' as grain,
        first_charged_on as period_start,
        'order_channel' as segment_type,
        order_channel as segment_value,
        case when is_confirmed_before_charge then 1 else 0 end as hit
    from {{ ref('int_vas_orders__assessed') }}
    union all
    select
        'vas_charge_reminder' as kpi_id,
        'day' as grain,
        first_charged_on as period_start,
        'order_channel' as segment_type,
        order_channel as segment_value,
        case when is_reminded_before_charge then 1 else 0 end as hit
    from {{ ref('int_vas_orders__assessed') }}
    union all
    select
        'suspension_reminder' as kpi_id,
        'day' as grain,
        suspended_on as period_start,
        'all' as segment_type,
        'all' as segment_value,
        case when is_reminded_in_time then 1 else 0 end as hit
    from {{ ref('int_suspensions__assessed') }}
    where is_arrears
    union all
    select
        'payment_confirmation_sms' as kpi_id,
        'day' as grain,
        paid_on as period_start,
        'channel' as segment_type,
        channel as segment_value,
        case when is_confirmed_in_time then 1 else 0 end as hit
    from {{ ref('int_payments__assessed') }}
    where is_assessed
    union all
    select
        'data_alert_timeliness' as kpi_id,
        'day' as grain,
        crossed_on as period_start,
        'threshold_pct' as segment_type,
        cast(threshold_pct as {{ dbt.type_string() }}) as segment_value,
        case when is_alerted_in_time then 1 else 0 end as hit
    from {{ ref('int_data_usage_alerts__assessed') }}
    where is_assessed
    union all
    select
        'tariff_overpay_rate' as kpi_id,
        'month' as grain,
        usage_month as period_start,
        'all' as segment_type,
        'all' as segment_value,
        case when is_overpaying then 1 else 0 end as hit
    from {{ ref('int_tariff__monthly_costs') }}
    where is_assessed
),

{# Counted once per segment, then summed into the 'all' row of every KPI: the items (some
    80 M rows at city scale, most of them bill items) are grouped once, not twice. #}
by_segment as (
    select
        kpi_id,
        grain,
        period_start,
        segment_type,
        coalesce(segment_value, 'unknown') as segment_value,
        sum(hit) as hits,
        count(*) as assessed
    from items
    group by kpi_id, grain, period_start, segment_type, coalesce(segment_value, 'unknown')
)

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
