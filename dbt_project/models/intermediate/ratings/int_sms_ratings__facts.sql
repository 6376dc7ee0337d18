{#- One row per delivered invitation sent at or before as_of, with its reply as known at
    as_of: a reply later than as_of has not arrived yet (no_reply). The join to staging
    keeps exactly the rows loaded now, should a corrected delivery have removed one.

    Incremental by invitation day (macro incremental_config): a run rebuilds the days that
    int_sms_ratings__parsed rebuilt since this model's last run, the days holding a stored
    invitation that may no longer be loaded as stored (removed or replaced: see shrunk),
    and the days holding an invitation whose reply or reply deadline lies after the last
    run's as_of could have been (see recheck). Invitations after as_of leave the table when
    as_of moves back (as_of_column). -#}
{%- set cfg = incremental_config('invited_on', as_of_column='invited_at') -%}
{{ config(**cfg) }}
{{ config(on_schema_change='fail') }}

{%- set reply_hours = var('rating_reply_hours') %}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

current_rows as (
    select
        invitation_id,
        _loaded_at
    from {{ ref('stg_ratings__sms_ratings') }}
),

{# The rows each load holds now. A load's rows are written in one transaction and are
    only ever deleted after (a corrected delivery, a key delivered again), so a load holds
    fewer rows than when a row of it was built exactly when rows of it are gone since. #}
load_rows as (
    select
        _loaded_at,
        count(*) as load_rows
    from current_rows
    group by _loaded_at
),

{% if is_incremental() %}
{# The last run's as_of was no earlier than its latest invitation, so a reply status or
    deadline that differs between that as_of and this one (in either direction) has its
    reply or its deadline after the earlier of that invitation and this as_of. #}
recheck as (
    select
        least((select max(built.invited_at) from {{ this }} as built), as_of) as recheck_from
    from as_of
),

{# The days of stored rows whose load has lost rows since they were built (_load_rows):
    every stored invitation no longer loaded as stored is among them. A plain comparison
    of counts, where matching every stored invitation against every loaded one cost 0.4 s
    of a city year's day and grew with the history. A row rebuilt takes its load's count
    of now, so a day is rebuilt once for a load's loss. #}
shrunk as (
    select held.invited_on
    from {{ this }} as held
    left join load_rows as l on held._loaded_at = l._loaded_at
    where l.load_rows is null or held._load_rows <> l.load_rows
),
{% endif %}

invitations as (
    select p.*
    from {{ ref('int_sms_ratings__parsed') }} as p
    inner join current_rows as c
        on
            p.invitation_id = c.invitation_id
            and p._loaded_at = c._loaded_at
    where
        {% if is_incremental() -%}
            {{ touched_partitions(
                ref('int_sms_ratings__parsed'),
                'invited_on',
                also_where=recheck_conditions('invited_at', 'hour', reply_hours, 'reply_at'),
                also_partitions='select s.invited_on from shrunk as s'
            ) }}
            and
        {% endif -%}
        p.delivery_status = 'delivered'
),

known as (
    select
        i.invitation_id,
        i.channel,
        i.hall_id,
        i.staff_id,
        i.service_type,
        i.customer_key,
        i.invited_at,
        cast({{ dbt.date_trunc('month', 'i.invited_on') }} as date) as invited_month,
        case when i.reply_at <= a.as_of then i.reply_at end as reply_at,
        case when i.reply_at <= a.as_of then i.reply_status else 'no_reply' end as reply_status,
        case when i.reply_at <= a.as_of then i.reply_code end as reply_code,
        {{ dbt.dateadd('hour', reply_hours, 'i.invited_at') }} as reply_deadline_at,
        i._loaded_at,
        l.load_rows as _load_rows,
        i.invited_on,
        a.as_of
    from invitations as i
    cross join as_of as a
    inner join load_rows as l on i._loaded_at = l._loaded_at
    where i.invited_at <= a.as_of
)

select
    invitation_id,
    channel,
    hall_id,
    staff_id,
    service_type,
    customer_key,
    invited_at,
    invited_month,
    reply_at,
    reply_status,
    reply_code,
    reply_deadline_at,
    {# Response-rate denominator (deadline rule): a reply of any kind but late, or the reply
        window over. #}
    (
        reply_status in ('valid', 'invalid', 'opt_out') or as_of > reply_deadline_at
    ) as is_response_assessed,
    _loaded_at,
    _load_rows,
    {{ build_stamp() }} as _built_at,
    {#- The partition column comes last, as Spark's insert_overwrite wants it. #}
    invited_on
from known
