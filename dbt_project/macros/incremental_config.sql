{#- The one place that chooses how incremental models refresh. A model names its partition
    column (a date) and reselects every row of each partition touched by new loads; the
    partition is then replaced as a whole. DuckDB does that with delete+insert keyed on
    the partition column, Spark (no merge without Delta/Iceberg) with insert_overwrite.
    Replacing whole partitions also drops rows that a corrected delivery removed.

    `as_of_column`: a row whose as_of_column is later than as_of has not happened yet. When
    as_of moves back, such stored rows must go, also from partitions the run does not
    reselect. DuckDB deletes them after the insert. Spark tables of plain Parquet cannot
    delete rows, only drop partitions: before the run it drops every partition from the
    first one holding such a row onwards, and the model's incremental filter, which reads
    the remaining rows, then reselects all of them (its cutoff lies before the first
    dropped partition). Both leave exactly the rows a full rebuild would hold. -#}
{% macro incremental_config(partition_column, as_of_column=none) %}
    {%- if target.type == 'spark' -%}
        {%- set cfg = {
            'materialized': 'incremental',
            'incremental_strategy': 'insert_overwrite',
            'partition_by': [partition_column],
        } -%}
        {%- if as_of_column -%}
            {%- do cfg.update({'pre_hook': "{{ spark_drop_partitions_after_as_of(this, '"
                ~ partition_column ~ "', '" ~ as_of_column ~ "') }}"}) -%}
        {%- endif -%}
    {%- else -%}
        {%- set cfg = {
            'materialized': 'incremental',
            'incremental_strategy': 'delete+insert',
            'unique_key': partition_column,
        } -%}
        {%- if as_of_column -%}
            {%- do cfg.update({'post_hook': 'delete from {{ this }} where ' ~ as_of_column
                ~ " > (select as_of from {{ ref('int_as_of') }})"}) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(cfg) }}
{% endmacro %}


{#- Rows of `relation` whose partition holds a row loaded since the last build of this model
    (>=: rows loaded in the same second as the last build are taken again, harmlessly).
    An empty table (nothing to build from yet, or every partition dropped) takes all.
    `partition_expr` computes the partition from a row of `relation` (Spark cannot see
    the model's own column aliases in its where clause). -#}
{% macro touched_partitions(relation, partition_expr) %}
    {{ partition_expr }} in (
        select {{ partition_expr }}
        from {{ relation }}
        where
            _loaded_at >= (select max(built._loaded_at) from {{ this }} as built)
            or (select max(built._loaded_at) from {{ this }} as built) is null
    )
{% endmacro %}
