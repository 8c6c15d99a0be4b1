with source as (
    select * from {{ source('cassandra', 'inquiries_by_day') }}
),

renamed as (
    select
        inquiry_id,
        shop_id,
        created_at as inquired_at,
        customer_name,
        phone as phone_raw,
        normalize_phone(phone, '{{ var("phone_region") }}') as phone_e164,
        normalize_email(email) as email,
        age,
        lower(nullif(trim(gender), '')) as gender,
        message,
        channel
    from source
)

select * from renamed
