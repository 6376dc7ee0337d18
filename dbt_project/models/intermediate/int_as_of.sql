{#- The evaluation time of every time-limited KPI (data-contract.md, MANYI_AS_OF): the
    as_of var when given, else the data watermark. One row. -#}
{#- The watermark's inputs are dependencies whether or not the var is given, so the DAG (and
    Dagster's asset graph, read from a manifest parsed without vars) never changes. -#}
-- depends_on: {{ ref('stg_complaints__complaints') }}
-- depends_on: {{ ref('stg_complaints__complaint_events') }}
-- depends_on: {{ ref('stg_hotline__hotline_calls') }}
-- depends_on: {{ ref('stg_ratings__sms_ratings') }}
{%- set as_of = var('as_of', none) -%}
{%- if as_of is not none and (as_of | string | trim) != '' %}
select cast('{{ as_of | string | trim }}' as timestamp) as as_of
{%- else %}
with watermarks as (
    select max(received_at) as watermark from {{ ref('stg_complaints__complaints') }}
    union all
    select max(event_at) as watermark from {{ ref('stg_complaints__complaint_events') }}
    union all
    select max(call_start_at) as watermark from {{ ref('stg_hotline__hotline_calls') }}
    union all
    select max(invited_at) as watermark from {{ ref('stg_ratings__sms_ratings') }}
)

select max(watermark) as as_of
from watermarks
{%- endif %}
