{#- Schemas are exactly staging / intermediate / marts (no target prefix): the dashboard,
    the serving copy and the other pipelines address them by these names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
