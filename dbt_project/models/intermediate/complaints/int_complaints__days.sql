{#- Every day from the first complaint received to the as_of date: complaints_per_10k has a
    row for each of them (its denominator, the subscriber stock, is never zero), also on
    days without complaints. The span is read first because a day series is generated
    from a count. -#}
{%- set span_days = 1 -%}
{#- The timeline is missing only when this model is compiled alone (e.g. by sqlfluff). -#}
{%- set timeline = load_relation(ref('int_complaints__timeline')) if execute else none -%}
{%- if timeline is not none -%}
    {%- set span = run_query(
        "select " ~ dbt.datediff('min(received_on)', 'cast(max(as_of) as date)', 'day')
        ~ " from " ~ timeline
    ).columns[0].values()[0] -%}
    {%- set span_days = (span or 0) + 1 -%}
{%- endif -%}

with numbers as (
    {{ dbt.generate_series(span_days) }}
),

first_day as (
    select min(received_on) as first_day
    from {{ ref('int_complaints__timeline') }}
)

select
    cast(
        {{ dbt.dateadd('day', 'numbers.generated_number - 1', 'first_day.first_day') }} as date
    ) as date_day
from numbers
cross join first_day
where first_day.first_day is not null
