-- One row per call. "After hours" is decided by the shop's calendar: outside opening hours on
-- an open day, or any time on a closed day (METRICS.md).
with call_events as (
    select *
    from {{ ref('stg_kafka__call_events') }}
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

phones as (
    select identifiers.identifier as phone_e164, any_value(map.customer_key) as customer_key
    from {{ ref('int_customers__identifiers') }} as identifiers
    inner join {{ ref('int_customers__identity_map') }} as map using (source, source_id)
    where identifiers.identifier_type = 'phone'
    group by identifiers.identifier
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
        calendar.shop_id is null as is_after_hours
    from localized
    left join phones on phones.phone_e164 = localized.from_number_e164
    left join calendar
        on calendar.shop_id = localized.shop_id
        and calendar.iso_dow = isodow(localized.started_at_local)
        and cast(localized.started_at_local as time) >= calendar.opens_at
        and cast(localized.started_at_local as time) < calendar.closes_at
)

select * from final
