-- One row per call. "After hours" is decided by the shop's calendar: outside opening hours on
-- an open day, or any time on a closed day (docs/metrics.md).
--
-- Incremental: a build recomputes the calls with an event staged since the previous build,
-- the calls whose number now belongs to another client (identity resolution joined or split
-- records), and every call of a shop whose settings (time zone, hours) were loaded since. A
-- call of a shop in no shops file is held (int_events__held) and enters when the shop is loaded.
-- depends_on: {{ ref('stg_inbox__shops') }}
{{
    config(
        materialized='incremental',
        unique_key='call_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}
with phones as (
    select identifiers.identifier as phone_e164, any_value(map.customer_key) as customer_key
    from {{ ref('int_customers__identifiers') }} as identifiers
    inner join {{ ref('int_customers__identity_map') }} as map using (source, source_id)
    where identifiers.identifier_type = 'phone'
    group by identifiers.identifier
),

{% if is_incremental() %}
since as (
    select {{ incremental_watermark('last_ingested_at') }} as instant
),

affected_calls as (
    select call_id
    from {{ ref('stg_kafka__call_events') }}
    where ingested_at > (select instant from since)
    union
    select built.call_id
    from {{ this }} as built
    left join phones on phones.phone_e164 = built.from_number_e164
    where built.customer_key is distinct from phones.customer_key
    union
    -- every call of a shop loaded since, those held while it was in no shops file included
    select events.call_id
    from {{ ref('stg_kafka__call_events') }} as events
    inner join {{ ref('stg_inbox__shops') }} as shops using (shop_id)
    -- files load apart from events: compared with when this model last changed a row
    where shops.loaded_at > {{ incremental_watermark('changed_at') }}
),
{% endif %}

call_events as (
    select
        *,
        max(ingested_at) over (partition by call_id) as last_ingested_at
    from {{ known_as_of(ref('stg_kafka__call_events')) }}
    {% if is_incremental() %}
        where call_id in (select call_id from affected_calls)
    {% endif %}
    qualify row_number() over (
        partition by call_id order by occurred_at desc, kafka_partition, kafka_offset desc
    ) = 1
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

calendar as (
    select * from {{ ref('int_shops__calendar') }}
),

localized as (
    select
        call_events.*,
        {{ to_local('call_events.started_at', 'shops.time_zone') }} as started_at_local
    from call_events
    inner join shops using (shop_id)
),

final as (
    select
        localized.call_id,
        localized.shop_id,
        localized.started_at,
        localized.started_at_local,
        {{ week_start('localized.started_at_local') }} as week_start,
        localized.from_number_raw,
        localized.from_number_e164,
        phones.customer_key,
        localized.caller_name,
        localized.duration_sec,
        localized.outcome,
        localized.intent,
        localized.appointment_id,
        localized.outcome = 'answered' as is_answered,
        localized.outcome in ('missed', 'voicemail') as is_missed,
        localized.outcome = 'answered' and localized.appointment_id is not null as is_converted,
        calendar.shop_id is null as is_after_hours,
        localized.last_ingested_at
    from localized
    left join phones on phones.phone_e164 = localized.from_number_e164
    left join calendar
        on calendar.shop_id = localized.shop_id
        and calendar.iso_dow = isodow(localized.started_at_local)
        and cast(localized.started_at_local as time) >= calendar.opens_at
        and cast(localized.started_at_local as time) < calendar.closes_at
)

{{ track_changes('final', 'call_id') }}
