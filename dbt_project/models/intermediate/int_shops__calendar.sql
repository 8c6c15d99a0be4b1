-- Opening hours per shop and ISO weekday (1 = Monday), shop-local. A day not in Open Days has
-- no row: it is closed, and every call on it is after hours.
with shops as (
    select * from {{ ref('stg_inbox__shops') }}
),

days as (
    select
        shops.shop_id,
        list_position(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], day_name) as iso_dow,
        shops.opens_at,
        shops.closes_at
    from shops, unnest(shops.open_days) as t(day_name)
    where shops.opens_at is not null and shops.closes_at is not null
),

final as (
    select
        shop_id,
        iso_dow,
        opens_at,
        closes_at,
        datediff('minute', opens_at, closes_at) as open_minutes
    from days
)

select * from final
