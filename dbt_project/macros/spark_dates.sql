{#- Spark versions of dbt.dateadd and dbt.datediff that give DuckDB's answers to the
    millisecond (dispatch order in dbt_project.yml puts them before dbt-spark's own).
    dbt-spark goes through unix seconds, which drops the fraction of a second: a reply
    15.4 s after its queue time would be "within 15 s" on Spark and late on DuckDB. -#}

{#- timestampadd keeps microseconds; a month added to the 31st ends on the month's last
    day, as on DuckDB. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}
    timestampadd({{ datepart }}, cast({{ interval }} as int), {{ from_date_or_timestamp }})
{% endmacro %}

{#- DuckDB's date_diff counts the boundaries of `datepart` crossed from the first to the
    second (09:15:59 to 09:16:01 is one minute): the whole units between the truncated
    values. Weeks are left out: DuckDB counts them differently. -#}
{% macro spark__datediff(first_date, second_date, datepart) %}
    {%- if datepart not in [
        'millisecond', 'second', 'minute', 'hour', 'day', 'month', 'quarter', 'year'
    ] %}
        {{ exceptions.raise_compiler_error('datediff by ' ~ datepart ~ ' is not portable') }}
    {%- endif %}
    timestampdiff(
        {{ datepart }},
        date_trunc('{{ datepart }}', {{ first_date }}),
        date_trunc('{{ datepart }}', {{ second_date }})
    )
{% endmacro %}
