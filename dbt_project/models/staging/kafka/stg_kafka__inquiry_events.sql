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
        data ->> '$.inquiry_id' as inquiry_id,
        cast(data ->> '$.created_at' as timestamptz) as inquired_at,
        data ->> '$.customer_name' as customer_name,
        data ->> '$.phone' as phone_raw,
        normalize_phone(data ->> '$.phone', '{{ var("phone_region") }}') as phone_e164,
        normalize_email(data ->> '$.email') as email,
        cast(data ->> '$.age' as integer) as age,
        lower(nullif(trim(data ->> '$.gender'), '')) as gender,
        data ->> '$.message' as message,
        data ->> '$.channel' as channel,
        kafka_partition,
        kafka_offset,
        ingested_at
    from source
    where event_type = 'inquiry.received'
)

select * from renamed
