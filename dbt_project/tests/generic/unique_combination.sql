{#- No two rows share the same values of `columns` (the grain of a model).

    `stamp_column` (an incremental model's _built_at, macro build_stamp): only rows whose
    first key column holds a value of a row the model wrote in this `dbt build` are
    counted, against every row of the table. Two rows with one key share that value, so a
    duplicate involving a written row is found, and one between older rows was found by
    the build that wrote them: the result is the whole-table check's, without reading the
    history every day (a run that wrote nothing reads almost nothing). Put first the column
    that narrows best: the partition column when it is part of the key. After a full
    refresh every row carries the stamp. Run on its own (`dbt test`), it checks the rows of
    the latest build. Key columns are tested not_null apart. -#}
{% test unique_combination(model, columns, stamp_column=none) %}
select {{ columns | join(', ') }}, count(*) as row_count
from {{ model }}
{%- if stamp_column %}
where {{ columns[0] }} in (
    select written.{{ columns[0] }}
    from {{ model }} as written
    where
        written.{{ stamp_column }} =
        {%- if flags.WHICH == 'build' %}
            {{ build_stamp() }}
        {%- else %}
            (select max(latest.{{ stamp_column }}) from {{ model }} as latest)
        {%- endif %}
)
{%- endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
