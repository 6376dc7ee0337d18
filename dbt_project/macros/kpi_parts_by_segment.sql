{#- Day rows of int_kpi_parts__<domain> from a per-item facts relation with columns
    kpi_id, anchor_date, numerator, denominator and the segment columns. `segments` maps
    a segment_type to its column; every KPI also gets segment_type 'all'. A missing
    segment code becomes 'unknown' (kpis.md, segment_value). -#}
{% macro kpi_parts_by_segment(facts, segments) -%}
    {%- set groupings = {'all': none} -%}
    {%- do groupings.update(segments) -%}
    {%- for segment_type, column in groupings.items() %}
        {%- if not loop.first %}
union all
        {% endif %}
select
    kpi_id,
    'day' as grain,
    anchor_date as period_start,
    '{{ segment_type }}' as segment_type,
    {%- if column is none %}
    'all' as segment_value,
    {%- else %}
    coalesce(cast({{ column }} as {{ dbt.type_string() }}), 'unknown') as segment_value,
    {%- endif %}
    cast(sum(numerator) as double) as numerator,
    cast(sum(denominator) as double) as denominator
from {{ facts }}
group by kpi_id, anchor_date{% if column is not none %}, {{ column }}{% endif %}
    {%- endfor %}
{%- endmacro %}
