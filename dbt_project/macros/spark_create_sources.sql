{#- on-run-start: on Spark, every dbt source becomes a table over the Parquet export of the
    DuckDB raw layer (pipelines/spark_export.py), `$MANYI_SPARK_RAW_DIR/<table>`. The tables
    are recreated on every run, so a new export (or a changed schema) is always seen; they
    are external, so dropping one leaves its files alone. Partition folders
    (event_day=…, event_month=…) are registered with the catalogue, which otherwise lists
    none. On DuckDB the sources are the raw tables themselves: nothing to do. -#}
{% macro spark_create_sources() %}
    {%- if target.type == 'spark' and execute %}
        {%- set root = env_var('MANYI_SPARK_RAW_DIR') %}
        {%- for source in graph.sources.values() | sort(attribute='unique_id') %}
            {%- set table = source.schema ~ '.' ~ source.identifier %}
            {%- do run_query('create schema if not exists ' ~ source.schema) %}
            {%- do run_query('drop table if exists ' ~ table) %}
            {%- do run_query(
                'create table ' ~ table ~ " using parquet location '"
                ~ root ~ '/' ~ source.identifier ~ "'"
            ) %}
            {%- set described = run_query('describe table ' ~ table) %}
            {%- if '# Partition Information' in described.columns[0].values() %}
                {%- do run_query('alter table ' ~ table ~ ' recover partitions') %}
            {%- endif %}
        {%- endfor %}
    {%- endif %}
{% endmacro %}
