-- One row per inquiry, from every source. The walking skeleton has the inbox logs; the Cassandra
-- front desk joins here as a second source.
with inbox as (
    select * from {{ ref('stg_inbox__inquiries') }}
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

unioned as (
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
    from inbox
),

final as (
    select
        md5(concat_ws('|', unioned.source, unioned.source_inquiry_id)) as inquiry_key,
        unioned.source,
        unioned.source_inquiry_id,
        unioned.shop_id,
        unioned.inquired_at,
        {{ to_local('unioned.inquired_at', 'shops.time_zone') }} as inquired_at_local,
        {{ week_start(to_local('unioned.inquired_at', 'shops.time_zone')) }} as week_start,
        unioned.customer_name,
        unioned.phone_raw,
        unioned.phone_e164,
        unioned.email,
        unioned.age,
        unioned.gender,
        unioned.message,
        unioned.channel
    from unioned
    inner join shops using (shop_id)
)

select * from final
