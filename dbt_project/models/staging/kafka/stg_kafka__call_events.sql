with source as (
    {{ events_since_last_build('calls') }}
),

renamed as (
    select
        event_id,
        occurred_at,
        shop_id,
        data ->> '$.call_id' as call_id,
        data ->> '$.from_number' as from_number_raw,
        normalize_phone(data ->> '$.from_number', '{{ var("phone_region") }}') as from_number_e164,
        data ->> '$.caller_name' as caller_name,
        cast(data ->> '$.started_at' as timestamptz) as started_at,
        cast(data ->> '$.duration_sec' as integer) as duration_sec,
        data ->> '$.outcome' as outcome,
        data ->> '$.intent' as intent,
        data ->> '$.appointment_id' as appointment_id,
        kafka_partition,
        kafka_offset,
        ingested_at
    from source
    where event_type = 'call.completed'
)

select * from renamed
