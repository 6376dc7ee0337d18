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
    dropped partition). Both leave exactly the rows a full rebuild would hold.

    `placeholder_column`: the model adds placeholder rows for partitions left without rows
    (macro emptied_partitions), each with this column NULL, which no real row is; once they
    have replaced the partitions' old rows, DuckDB deletes them and Spark drops their
    partitions, which hold nothing else. -#}
{% macro incremental_config(partition_column, as_of_column=none, placeholder_column=none) %}
    {%- set post_hooks = [] -%}
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
        {%- if placeholder_column -%}
            {%- do post_hooks.append("{{ spark_drop_partitions_holding(this, '"
                ~ partition_column ~ "', '" ~ placeholder_column ~ " is null') }}") -%}
        {%- endif -%}
    {%- else -%}
        {%- set cfg = {
            'materialized': 'incremental',
            'incremental_strategy': 'delete+insert',
            'unique_key': partition_column,
        } -%}
        {%- if as_of_column -%}
            {%- do post_hooks.append('delete from {{ this }} where ' ~ as_of_column
                ~ " > (select as_of from {{ ref('int_as_of') }})") -%}
        {%- endif -%}
        {%- if placeholder_column -%}
            {%- do post_hooks.append('delete from {{ this }} where ' ~ placeholder_column
                ~ ' is null') -%}
        {%- endif -%}
    {%- endif -%}
    {%- if post_hooks -%}
        {%- do cfg.update({'post_hook': post_hooks}) -%}
    {%- endif -%}
    {{ return(cfg) }}
{% endmacro %}


{#- Placeholder rows of a sparse incremental model, one for each partition the run rebuilds
    (a partition of `scope`, the upstream rows it selects from) in which `selected` (the
    model's rows) has none. A list of the few rows that break a rule can lose the last one
    of a day (as_of moves back, a delivery is corrected); delete+insert and
    insert_overwrite replace only the partitions the new rows name, so without a
    placeholder that day would keep its old rows. Every column but the partition is NULL;
    the hooks of incremental_config(placeholder_column=...) remove the placeholders.
    Nothing on a full build, which writes every partition from scratch. -#}
{% macro emptied_partitions(selected, scope, partition_column) %}
    {%- if is_incremental() %}
    union all
    select
        {%- for column in adapter.get_columns_in_relation(this) %}
        {%- if column.name == partition_column %}
        emptied.{{ partition_column }}
        {%- else %}
        null as {{ column.name }}
        {%- endif %}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from (select distinct s.{{ partition_column }} from {{ scope }} as s) as emptied
    where emptied.{{ partition_column }} not in (
        select kept.{{ partition_column }} from {{ selected }} as kept
    )
    {%- endif %}
{% endmacro %}


{#- A memo: a table of answers keyed by their inputs (int_hotline_erlang__outcomes), to which
    a run appends the keys it has not stored; stored rows never change. Both engines
    append without partitions. -#}
{% macro memo_config() %}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
    }) }}
{% endmacro %}


{#- Rows of `relation` whose partition holds a row loaded since the last build of this model:
    loaded later than the newest load it holds (a load is one transaction with one
    _loaded_at, later than every earlier load's). >= would also retake every partition of
    that newest load, after a full load all of them. An empty table (nothing to build from
    yet, or every partition dropped) takes all.
    `stamp_column` names the column that says when a row came: _loaded_at for rows of the
    raw layer; _built_at (build_stamp) for rows of an incremental model, whose rebuilt
    partitions are then what this model rebuilds (staff_rating_replies of
    int_sms_ratings__facts).
    `partition_expr` computes the partition from a row of `relation` or of this model
    (Spark cannot see the model's own column aliases in its where clause).
    `also_where`, conditions on a row of `relation` (a list), adds the partitions of the
    rows any of them holds for (e.g. rows whose assessment depends on as_of and may have
    changed since the last build: recheck_conditions). Each is its own branch of the
    union, so that a plain comparison skips row groups by their zone maps.
    `key_columns`, the key of `relation`, adds the partitions this model holds a reloaded
    key in: a corrected delivery may move a row to another partition (a new timestamp),
    and the old partition must be rebuilt without it. The held rows are first cut to the
    range of each key column among the reloaded rows: a day's ids embed its date and its
    alerts their month, so the row groups of other days are skipped unread (a city year's
    10.8 M payments: 0.2 s -> 0.01 s); a held key equal to a reloaded one is in every range.
    A pseudonym says nothing about order, so customer_key cuts nothing and is left out.
    `also_partitions`, a query of one column, adds the partitions it returns.
    `range_column`, the column partition_expr is computed from, adds the same cut as a range
    on that column: DuckDB pushes a range on a plain column below the projections of a
    staging view, not a join on an expression, so without it a view that computes costly
    columns (stg_ratings__sms_ratings parses every reply) computes them for every row. -#}
{% macro touched_partitions(
    relation,
    partition_expr,
    also_where=none,
    key_columns=none,
    also_partitions=none,
    range_column=none,
    stamp_column='_loaded_at'
) %}
    {%- set partitions = touched_partition_set(
        relation, partition_expr, also_where, key_columns, also_partitions, stamp_column
    ) -%}
    (
        {{ partition_expr }} in (
            select touched.touched_partition from ({{ partitions }}) as touched
        )
        {%- if range_column %}
        and {{ range_column }} >= (
            select min(touched.touched_partition) from ({{ partitions }}) as touched
        )
        {%- endif %}
    )
{% endmacro %}


{#- The partitions touched_partitions selects, as a query of one column, touched_partition
    (same arguments), for a model that needs the set itself (kpi_parts_rebuilt_days,
    int_billing_disputes__billed). -#}
{% macro touched_partition_set(
    relation,
    partition_expr,
    also_where=none,
    key_columns=none,
    also_partitions=none,
    stamp_column='_loaded_at'
) %}
    {%- set partitions -%}
        select {{ partition_expr }} as touched_partition
        from {{ relation }}
        where {{ stamped_since_last_build(stamp_column) }}
        {%- for condition in also_where or [] %}
        union all
        select {{ partition_expr }} as touched_partition
        from {{ relation }}
        where {{ condition }}
        {%- endfor %}
        {%- if key_columns %}
        union all
        select {{ partition_expr }} as touched_partition
        from {{ this }} as held
        where
            {%- for key in key_columns if key != 'customer_key' %}
            held.{{ key }} between (
                select min(reloaded.{{ key }}) from {{ relation }} as reloaded
                where {{ stamped_since_last_build(stamp_column, 'reloaded') }}
            ) and (
                select max(reloaded.{{ key }}) from {{ relation }} as reloaded
                where {{ stamped_since_last_build(stamp_column, 'reloaded') }}
            )
            and
            {%- endfor %}
            exists (
                select 1
                from {{ relation }} as reloaded
                where
                    {{ stamped_since_last_build(stamp_column, 'reloaded') }}
                    {%- for key in key_columns %}
                    and held.{{ key }} = reloaded.{{ key }}
                    {%- endfor %}
            )
        {%- endif %}
        {%- if also_partitions %}
        union all
        {{ also_partitions }}
        {%- endif %}
    {%- endset -%}
    {{ return(partitions) }}
{% endmacro %}


{#- The rows whose assessment may differ between the last build's as_of and this one, as
    conditions for touched_partitions' `also_where`: their deadline (`start_column` plus
    `amount` `datepart`s) or their answer (`answer_column`) lies at or after
    recheck.recheck_from (a CTE of the model). The deadline is moved to the other side:
    `start >= recheck - amount` is a plain comparison, which skips the row groups of earlier
    days by their zone maps, where `start + amount >= recheck or answer >= recheck` made
    DuckDB join every row of the parent to recheck (a city year's 15.5 M data alerts:
    0.5 s of a day). -#}
{% macro recheck_conditions(start_column, datepart, amount, answer_column) -%}
    {{ return([
        start_column ~ ' >= (select '
        ~ dbt.dateadd(datepart, -amount, 'r.recheck_from') ~ ' from recheck as r)',
        answer_column ~ ' >= (select r.recheck_from from recheck as r)',
    ]) }}
{%- endmacro %}


{#- A condition for touched_partitions' `also_where`: the rows of the parent later than the
    latest `column` this model holds. A model that holds no row later than as_of
    (as_of_column) takes in this way the rows as_of has reached since its last build,
    with no new load. Nothing when it holds none, as every row is then taken anyway. -#}
{% macro later_than_held(column) -%}
    {{ return(column ~ ' > (select max(held.' ~ column ~ ') from ' ~ this ~ ' as held)') }}
{%- endmacro %}


{#- A row of a parent (`row_alias`, if the query names it) stamped (`stamp_column`, of the
    same kind as this model's: _loaded_at or _built_at) later than the newest stamp this
    model holds, or any row when it holds none. Stamps are never NULL, so the empty case is
    a comparison with a time before any load: written as `stamp > newest or newest is
    null`, DuckDB joined every row to the newest stamp (41.5 M bill items: 0.1 s), where a
    plain comparison skips the row groups whose stamps are all older by their zone maps
    (0.002 s). -#}
{% macro stamped_since_last_build(stamp_column='_loaded_at', row_alias=none) -%}
    {% if row_alias %}{{ row_alias }}.{% endif %}{{ stamp_column }} > coalesce(
        (select max(built.{{ stamp_column }}) from {{ this }} as built),
        cast('1900-01-01 00:00:00' as timestamp)
    )
{%- endmacro %}


{#- When this dbt invocation began, as the `_built_at` of the rows an incremental model
    writes when a model downstream builds on it incrementally: that model rebuilds the
    partitions holding a row stamped later than the newest stamp it holds itself
    (touched_partitions with stamp_column='_built_at'). Readers never need it (the serving
    copy leaves it out). -#}
{% macro build_stamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
