with shops as (
    select * from {{ ref('stg_inbox__shops') }}
),

final as (
    select
        shop_id,
        shop_name,
        time_zone,
        currency,
        opens_at,
        closes_at,
        open_days,
        owner_email,
        phone
    from shops
)

select * from final
