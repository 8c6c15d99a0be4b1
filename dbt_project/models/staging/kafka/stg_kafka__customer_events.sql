with source as (
    {{ events_since_last_build('customers') }}
),

renamed as (
    select
        event_id,
        occurred_at,
        shop_id,
        {{ json_text('data', '$.customer_id') }} as customer_id,
        nullif(trim({{ json_text('data', '$.first_name') }}), '') as first_name,
        nullif(trim({{ json_text('data', '$.last_name') }}), '') as last_name,
        {{ json_text('data', '$.phone') }} as phone_raw,
        normalize_phone(
            {{ json_text('data', '$.phone') }}, '{{ var("phone_region") }}'
        ) as phone_e164,
        normalize_email({{ json_text('data', '$.email') }}) as email,
        cast({{ json_text('data', '$.birth_year') }} as integer) as birth_year,
        {{ json_text('data', '$.gender') }} as gender,
        cast({{ json_text('data', '$.marketing_opt_in') }} as boolean) as marketing_opt_in,
        kafka_partition,
        kafka_offset,
        ingested_at
    from source
    where event_type = 'customer.upserted'
)

select * from renamed
