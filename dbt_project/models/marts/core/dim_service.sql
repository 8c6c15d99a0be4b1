-- The current catalogue: per shop and service code, the price whose Effective From is the latest
-- one on or before the as-of date in the shop's time zone.
with prices as (
    select * from {{ ref('stg_inbox__price_list') }}
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

in_force as (
    select prices.*
    from prices
    inner join shops using (shop_id)
    where prices.effective_from <= {{ as_of_date('shops.time_zone') }}
    qualify row_number() over (
        partition by prices.shop_id, prices.service_code order by prices.effective_from desc
    ) = 1
),

final as (
    select
        md5(concat_ws('|', shop_id, service_code)) as service_key,
        shop_id,
        service_code,
        service_name,
        category,
        duration_min,
        price,
        effective_from as price_effective_from
    from in_force
)

select * from final
