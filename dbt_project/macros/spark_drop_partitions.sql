{#- Pre-hook of incremental models on Spark (see incremental_config): drops every partition
    of `relation` from the first one holding a row whose `as_of_column` is later than as_of.
    Nothing to do on the first build or a full refresh, or when as_of did not move back. -#}
{% macro spark_drop_partitions_after_as_of(relation, partition_column, as_of_column) %}
    {%- if execute and not should_full_refresh() and load_relation(relation) is not none %}
        {%- set stale = run_query(
            'select distinct ' ~ partition_column ~ ' from ' ~ relation
            ~ ' where ' ~ partition_column ~ ' >= (select min(' ~ partition_column ~ ') from '
            ~ relation ~ ' where ' ~ as_of_column ~ ' > (select as_of from '
            ~ ref('int_as_of') ~ '))'
        ).columns[0].values() %}
        {%- if stale | length > 0 %}
            alter table {{ relation }} drop if exists
            {%- for partition in stale | sort %}
                partition ({{ partition_column }} = '{{ partition }}')
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        {%- endif %}
    {%- endif %}
{% endmacro %}
