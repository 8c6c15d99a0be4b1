with source as (
    select * from {{ source('cassandra', 'customers') }}
),

renamed as (
    select
        shop_id,
        customer_id,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        phone as phone_raw,
        normalize_phone(phone, '{{ var("phone_region") }}') as phone_e164,
        normalize_email(email) as email,
        birth_year,
        lower(nullif(trim(gender), '')) as gender,
        marketing_opt_in,
        created_at,
        updated_at
    from source
)

select * from renamed
