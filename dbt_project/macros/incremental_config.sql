{#- The one place that chooses how incremental models refresh. A model names its partition
    column (a date) and reselects every row of each partition touched by new loads; the
    partition is then replaced as a whole. DuckDB does that with delete+insert keyed on
    the partition column, Spark (no merge without Delta/Iceberg) with insert_overwrite.
    Replacing whole partitions also drops rows that a corrected delivery removed. -#}
{% macro incremental_config(partition_column) %}
    {%- if target.type == 'spark' -%}
        {{ return({
            'materialized': 'incremental',
            'incremental_strategy': 'insert_overwrite',
            'partition_by': [partition_column],
            'file_format': 'parquet',
        }) }}
    {%- else -%}
        {{ return({
            'materialized': 'incremental',
            'incremental_strategy': 'delete+insert',
            'unique_key': partition_column,
        }) }}
    {%- endif -%}
{% endmacro %}


{#- Rows of `relation` whose partition holds a row loaded since the last build of this model
    (>=: rows loaded in the same second as the last build are taken again, harmlessly). -#}
{% macro touched_partitions(relation, partition_expr, partition_column) %}
    {{ partition_column }} in (
        select {{ partition_expr }}
        from {{ relation }}
        where _loaded_at >= (select max(built._loaded_at) from {{ this }} as built)
    )
{% endmacro %}
