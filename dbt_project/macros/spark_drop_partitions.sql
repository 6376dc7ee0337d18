{#- Pre-hook of incremental models on Spark (see incremental_config): drops every partition
    of `relation` from the first one holding a row whose `as_of_column` is later than as_of.
    Nothing to do on the first build or a full refresh, or when as_of did not move back. -#}
{% macro spark_drop_partitions_after_as_of(relation, partition_column, as_of_column) %}
    {{ spark_drop_partitions_holding(
        relation,
        partition_column,
        partition_column ~ ' >= (select min(' ~ partition_column ~ ') from ' ~ relation
        ~ ' where ' ~ as_of_column ~ ' > (select as_of from ' ~ ref('int_as_of') ~ '))'
    ) }}
{% endmacro %}


{#- Drops every partition of `relation` holding a row for which `condition` holds (plain
    Parquet tables cannot delete rows, only partitions). Nothing to do on the first build or
    a full refresh. -#}
{% macro spark_drop_partitions_holding(relation, partition_column, condition) %}
    {%- if execute and not should_full_refresh() and load_relation(relation) is not none %}
        {%- set dropped = run_query(
            'select distinct ' ~ partition_column ~ ' from ' ~ relation ~ ' where ' ~ condition
        ).columns[0].values() %}
        {%- if dropped | length > 0 %}
            alter table {{ relation }} drop if exists
            {%- for partition in dropped | sort %}
                partition ({{ partition_column }} = '{{ partition }}')
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        {%- endif %}
    {%- endif %}
{% endmacro %}
