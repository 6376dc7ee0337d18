{#- Counts of a ratio: 0 <= numerator <= denominator. With `ratio_kpis_of` (a KPI
    catalogue) only KPIs whose unit is 'ratio' are held to it (a sum of seconds is not). -#}
{% test numerator_not_above_denominator(model, numerator, denominator, ratio_kpis_of=none) %}
select {{ numerator }}, {{ denominator }}
from {{ model }}
where
    ({{ numerator }} < 0 or {{ numerator }} > {{ denominator }})
    {%- if ratio_kpis_of is not none %}
    and kpi_id in (select kpi_id from {{ ratio_kpis_of }} where unit = 'ratio')
    {%- endif %}
{% endtest %}
