{#- A ratio lies in [0, 1]; NULL (not assessed) passes. With `ratio_kpis_of` (a KPI
    catalogue) only the rows of KPIs whose unit is 'ratio' are held to it. -#}
{% test within_unit_interval(model, column_name, ratio_kpis_of=none) %}
select {{ column_name }}
from {{ model }}
where
    ({{ column_name }} < 0 or {{ column_name }} > 1)
    {%- if ratio_kpis_of is not none %}
    and kpi_id in (select kpi_id from {{ ratio_kpis_of }} where unit = 'ratio')
    {%- endif %}
{% endtest %}
