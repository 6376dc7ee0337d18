{#- The individual SMS ratings behind marts.staff_evaluation_monthly: one row per delivered
    invitation sent at or before as_of to a loaded staff member (the same population, so
    each row of the table can be opened up). The reply is as known at as_of: a reply
    arriving later has neither text nor code yet. reply_text is the customer's raw text
    (untrusted: readers must not render it as HTML or formulas). Masked phone only.

    Incremental by invitation day: a run rebuilds the days int_sms_ratings__facts rebuilt
    since this table's last run (its _built_at), the days holding an invitation of theirs
    that moved to another day, and, when the staff snapshot changed, the days holding a
    rating of someone who left it or of someone new to this table. -#}
{#- The as_of hooks read int_as_of, which the SQL below does not. #}
-- depends_on: {{ ref('int_as_of') }}
{%- set cfg = incremental_config('invited_on', as_of_column='invited_at') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

with staff as (
    select staff_id from {{ ref('stg_reference__staff') }}
),

{% if is_incremental() %}
{# Days of ratings whose membership in the loaded staff changed: held for someone no
    longer loaded, or rated for someone loaded whom this table holds nothing of. #}
staff_changes as (
    select held.invited_on
    from {{ this }} as held
    where held.staff_id not in (select s.staff_id from staff as s)
    union all
    select rated.invited_on
    from {{ ref('int_sms_ratings__facts') }} as rated
    where rated.staff_id in (
        select s.staff_id
        from staff as s
        where s.staff_id not in (select distinct held.staff_id from {{ this }} as held)
    )
),
{% endif %}

facts as (
    select *
    from {{ ref('int_sms_ratings__facts') }}
    where
        {% if is_incremental() -%}
            {{ touched_partitions(
                ref('int_sms_ratings__facts'),
                'invited_on',
                key_columns=['invitation_id'],
                also_partitions='select c.invited_on from staff_changes as c',
                stamp_column='_built_at'
            ) }}
            and
        {% endif -%}
        staff_id is not null
),

replies as (
    select
        invitation_id,
        msisdn_masked,
        reply_text
    from {{ ref('stg_ratings__sms_ratings') }}
    {% if is_incremental() -%}
        {# The invitations of the days rebuilt, not every reply ever parsed: a range on
            the view's plain column is pushed below its parsing. #}
        where invited_at >= (select cast(min(f.invited_on) as timestamp) from facts as f)
    {%- endif %}
)

select
    f.invitation_id,
    f.staff_id,
    f.invited_month,
    f.invited_at,
    f.channel,
    f.hall_id,
    f.service_type,
    r.msisdn_masked,
    f.reply_at,
    {# facts keep reply_at only for a reply at or before as_of. #}
    case when f.reply_at is not null then r.reply_text end as reply_text,
    f.reply_status,
    f.reply_code,
    {{ build_stamp() }} as _built_at,
    {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
    f.invited_on
from facts as f
inner join staff as s on f.staff_id = s.staff_id
inner join replies as r on f.invitation_id = r.invitation_id
