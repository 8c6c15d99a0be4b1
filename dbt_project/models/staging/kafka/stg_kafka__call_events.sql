with source as (
    {{ events_since_last_build('calls') }}
),

renamed as (
    select
        event_id,
        occurred_at,
        shop_id,
        {{ json_text('data', '$.call_id') }} as call_id,
        {{ json_text('data', '$.from_number') }} as from_number_raw,
        normalize_phone(
            {{ json_text('data', '$.from_number') }}, '{{ var("phone_region") }}'
        ) as from_number_e164,
        {{ json_text('data', '$.caller_name') }} as caller_name,
        cast({{ json_text('data', '$.started_at') }} as {{ instant_type() }}) as started_at,
        cast({{ json_text('data', '$.duration_sec') }} as integer) as duration_sec,
        {{ json_text('data', '$.outcome') }} as outcome,
        {{ json_text('data', '$.intent') }} as intent,
        {{ json_text('data', '$.appointment_id') }} as appointment_id,
        kafka_partition,
        kafka_offset,
        ingested_at
    from source
    where event_type = 'call.completed'
)

select * from renamed
