{#- Rows that refer to something not loaded (kpis.md, "Orphans"): one row per referring
    record and reference, over everything loaded (no as_of cut: a late-arriving parent
    clears its orphans on the next build). Composite keys (space-separated below) are joined with '|'.

    Each reference first finds the values no parent holds, from the distinct values of the
    column, and only then the rows holding them: a join of every row to its parent carried
    each row's key through it (41.5 M bill items with their 64-character pseudonyms for a
    city year, where the plan codes are a few dozen), and a reference without orphans,
    the usual case, reads one column. -#}
{%- set references = [
    ('complaint_events', 'stg_complaints__complaint_events', 'event_id', 'complaint_id',
        'complaints', 'stg_complaints__complaints', 'complaint_id'),
    ('complaints', 'stg_complaints__complaints', 'complaint_id', 'first_owner_staff_id',
        'staff', 'stg_reference__staff', 'staff_id'),
    ('complaints', 'stg_complaints__complaints', 'complaint_id', 'hall_id',
        'halls', 'stg_reference__halls', 'hall_id'),
    ('sms_ratings', 'stg_ratings__sms_ratings', 'invitation_id', 'staff_id',
        'staff', 'stg_reference__staff', 'staff_id'),
    ('sms_ratings', 'stg_ratings__sms_ratings', 'invitation_id', 'hall_id',
        'halls', 'stg_reference__halls', 'hall_id'),
    ('hotline_calls', 'stg_hotline__hotline_calls', 'call_id', 'complaint_id',
        'complaints', 'stg_complaints__complaints', 'complaint_id'),
    ('hotline_calls', 'stg_hotline__hotline_calls', 'call_id', 'agent_id',
        'staff', 'stg_reference__staff', 'staff_id'),
    ('agent_shifts', 'stg_hotline__agent_shifts', 'shift_id', 'staff_id',
        'staff', 'stg_reference__staff', 'staff_id'),
    ('staff', 'stg_reference__staff', 'staff_id', 'hall_id',
        'halls', 'stg_reference__halls', 'hall_id'),
    ('subscribers', 'stg_reference__subscribers', 'customer_key', 'home_hall_id',
        'halls', 'stg_reference__halls', 'hall_id'),
    ('subscribers', 'stg_reference__subscribers', 'customer_key', 'plan_code',
        'plans', 'stg_reference__plans', 'plan_code'),
    ('bill_items', 'stg_billing__bill_items', 'bill_month customer_key item_code', 'plan_code',
        'plans', 'stg_reference__plans', 'plan_code'),
    ('billing_disputes', 'stg_billing__billing_disputes', 'dispute_id', 'complaint_id',
        'complaints', 'stg_complaints__complaints', 'complaint_id'),
] -%}

{%- for source_table, model, key, column, parent_table, parent_model, parent_key in references %}
{%- set key_parts = [] %}
{%- for key_column in key.split() %}
{%- if not loop.first %}{% do key_parts.append("'|'") %}{% endif %}
{%- do key_parts.append('cast(child.' ~ key_column ~ ' as ' ~ dbt.type_string() ~ ')') %}
{%- endfor %}
{%- if not loop.first %}

union all
{% endif %}
select
    '{{ source_table }}' as source_table,
    {{ dbt.concat(key_parts) if key_parts | length > 1 else key_parts[0] }} as record_key,
    '{{ column }}' as reference_column,
    '{{ parent_table }}' as referenced_table,
    child.{{ column }} as missing_reference
from {{ ref(model) }} as child
where
    child.{{ column }} in (
        select referenced.{{ column }}
        from (
            select distinct {{ column }}
            from {{ ref(model) }}
            where {{ column }} is not null
        ) as referenced
        where not exists (
            select 1
            from {{ ref(parent_model) }} as parent
            where parent.{{ parent_key }} = referenced.{{ column }}
        )
    )
{%- endfor %}
