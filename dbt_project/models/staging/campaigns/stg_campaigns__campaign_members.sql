with source as (
    select * from {{ source('campaigns', 'campaign_members') }}
),

final as (
    select campaign_id, customer_key, customer_id, arm
    from source
)

select * from final
