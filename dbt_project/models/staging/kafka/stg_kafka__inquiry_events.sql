-- `inquiry.received` events from the front-desk form and other capture points, typed, with phone
-- and email normalised for matching like the CRM's and the inbox's inquiries.
with source as (
    {{ events_since_last_build('inquiries') }}
),

renamed as (
    select
        event_id,
        occurred_at,
        shop_id,
        {{ json_text('data', '$.inquiry_id') }} as inquiry_id,
        cast({{ json_text('data', '$.created_at') }} as {{ instant_type() }}) as inquired_at,
        {{ json_text('data', '$.customer_name') }} as customer_name,
        {{ json_text('data', '$.phone') }} as phone_raw,
        normalize_phone(
            {{ json_text('data', '$.phone') }}, '{{ var("phone_region") }}'
        ) as phone_e164,
        normalize_email({{ json_text('data', '$.email') }}) as email,
        cast({{ json_text('data', '$.age') }} as integer) as age,
        lower(nullif(trim({{ json_text('data', '$.gender') }}), '')) as gender,
        {{ json_text('data', '$.message') }} as message,
        {{ json_text('data', '$.channel') }} as channel,
        kafka_partition,
        kafka_offset,
        ingested_at
    from source
    where event_type = 'inquiry.received'
)

select * from renamed
