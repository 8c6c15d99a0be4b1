with source as (
    {{ events_since_last_build('customers') }}
),

renamed as (
    select
        event_id,
        occurred_at,
        shop_id,
        data ->> '$.customer_id' as customer_id,
        nullif(trim(data ->> '$.first_name'), '') as first_name,
        nullif(trim(data ->> '$.last_name'), '') as last_name,
        data ->> '$.phone' as phone_raw,
        normalize_phone(data ->> '$.phone', '{{ var("phone_region") }}') as phone_e164,
        normalize_email(data ->> '$.email') as email,
        cast(data ->> '$.birth_year' as integer) as birth_year,
        data ->> '$.gender' as gender,
        cast(data ->> '$.marketing_opt_in' as boolean) as marketing_opt_in,
        kafka_partition,
        kafka_offset,
        ingested_at
    from source
    where event_type = 'customer.upserted'
)

select * from renamed
