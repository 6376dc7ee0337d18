{#- Freshness of every source table: rows loaded, the latest event (the timestamp that
    dates a row of that table), the latest load, and how many hours the latest event lies
    before as_of. Monthly tables are dated by the first day of their latest month; the
    reference snapshots have no event time and are judged by their load time. -#}
{%- set tables = [
    ('halls', 'stg_reference__halls', none),
    ('staff', 'stg_reference__staff', none),
    ('subscribers', 'stg_reference__subscribers', none),
    ('plans', 'stg_reference__plans', none),
    ('sms_ratings', 'stg_ratings__sms_ratings', 'invited_at'),
    ('complaints', 'stg_complaints__complaints', 'received_at'),
    ('complaint_events', 'stg_complaints__complaint_events', 'event_at'),
    ('hotline_calls', 'stg_hotline__hotline_calls', 'call_start_at'),
    ('agent_shifts', 'stg_hotline__agent_shifts', 'shift_start_at'),
    ('bill_items', 'stg_billing__bill_items', 'bill_month'),
    ('payments', 'stg_billing__payments', 'paid_at'),
    ('vas_orders', 'stg_billing__vas_orders', 'requested_at'),
    ('billing_disputes', 'stg_billing__billing_disputes', 'raised_at'),
    ('suspensions', 'stg_billing__suspensions', 'suspended_at'),
    ('data_usage_alerts', 'stg_billing__data_usage_alerts', 'crossed_at'),
    ('usage_monthly', 'stg_billing__usage_monthly', 'usage_month'),
] -%}

{#- Snapshots have no event column: their event name and time are typed NULLs. #}
{%- set selects = [] %}
{%- for source_table, model, event_column in tables %}
{%- if event_column %}
{%- do selects.append((source_table, model, "'" ~ event_column ~ "'",
    'max(cast(' ~ event_column ~ ' as timestamp))')) %}
{%- else %}
{%- do selects.append((source_table, model, 'cast(null as ' ~ dbt.type_string() ~ ')',
    'cast(null as timestamp)')) %}
{%- endif %}
{%- endfor %}

with tables as (
    {%- for source_table, model, event_name, event_at in selects %}
    {%- if not loop.first %}

    union all
    {% endif %}
    select
        '{{ source_table }}' as source_table,
        {{ event_name }} as event_column,
        count(*) as row_count,
        {{ event_at }} as latest_event_at,
        max(_loaded_at) as latest_loaded_at
    from {{ ref(model) }}
    {%- endfor %}
)

select
    t.source_table,
    t.event_column,
    t.row_count,
    t.latest_event_at,
    t.latest_loaded_at,
    a.as_of,
    cast(
        {{ dbt.datediff('t.latest_event_at', 'a.as_of', 'millisecond') }}
        as double
    ) / 3600000 as hours_behind_as_of
from tables as t
cross join {{ ref('int_as_of') }} as a
