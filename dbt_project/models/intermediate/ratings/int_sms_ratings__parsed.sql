{#- Invitations with their parsed reply, kept incrementally by invitation day: the parse
    does not depend on as_of, so days without new loads are not parsed again. The
    partition column comes last, as Spark's insert_overwrite wants it. -#}
{%- set cfg = incremental_config('invited_on') -%}
{{ config(**cfg) }}

select
    invitation_id,
    channel,
    hall_id,
    staff_id,
    service_type,
    customer_key,
    msisdn_masked,
    served_at,
    invited_at,
    delivery_status,
    reply_at,
    reply_status,
    reply_code,
    _loaded_at,
    cast(invited_at as date) as invited_on
from {{ ref('stg_ratings__sms_ratings') }}
{%- if is_incremental() %}
where {{ touched_partitions(
    ref('stg_ratings__sms_ratings'), 'cast(invited_at as date)', range_column='invited_at'
) }}
{%- endif %}
