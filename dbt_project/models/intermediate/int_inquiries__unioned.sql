-- Inquiries from every source on one timeline, before identity resolution.
with inbox as (
    select
        'inbox' as source,
        inquiry_id as source_inquiry_id,
        shop_id,
        inquired_at,
        customer_name,
        phone_raw,
        phone_e164,
        email,
        age,
        gender,
        message,
        cast(null as varchar) as channel
    from {{ known_as_of(ref('stg_inbox__inquiries'), at='inquired_at') }}
),

cassandra as (
    select
        'cassandra' as source,
        inquiry_id as source_inquiry_id,
        shop_id,
        inquired_at,
        customer_name,
        phone_raw,
        phone_e164,
        email,
        age,
        normalize_gender(gender) as gender,
        message,
        channel
    from {{ known_as_of(ref('stg_cassandra__inquiries'), at='inquired_at') }}
),

shops as (
    select shop_id, time_zone from {{ ref('stg_inbox__shops') }}
),

unioned as (
    select * from inbox
    union all
    select * from cassandra
),

final as (
    select
        unioned.*,
        {{ to_local('unioned.inquired_at', 'shops.time_zone') }} as inquired_at_local
    from unioned
    inner join shops using (shop_id)
)

select * from final
