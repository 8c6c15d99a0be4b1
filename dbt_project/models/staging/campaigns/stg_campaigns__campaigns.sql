with source as (
    select * from {{ source('campaigns', 'campaigns') }}
),

final as (
    select campaign_id, shop_id, rule, exported_on, control_share, seed, created_at
    from source
)

select * from final
