-- One row per shop: the most recently loaded row that names it wins.
with source as (
    select * from {{ source('inbox', 'shops') }}
),

files as (
    select * from {{ ref('stg_inbox__files') }}
),

renamed as (
    select
        source.shop_id,
        source.name as shop_name,
        source.time_zone,
        coalesce(source.currency, 'CAD') as currency,
        source.opens as opens_at,
        source.closes as closes_at,
        source.open_days,
        source.owner_email,
        source.phone_e164 as phone,
        source.premium_price,
        source.target_premium_share_pct,
        source.target_price_realisation_pct,
        source.target_retention_pct,
        source.target_rebooking_pct,
        source.target_utilization_pct,
        source.target_revenue_per_hour,
        source.target_new_client_growth_pct,
        files.loaded_at,
        row_number() over (
            partition by source.shop_id
            order by files.loaded_at desc, files.version desc, source.row_number desc
        ) as recency
    from source
    inner join files using (file_id)
),

final as (
    select * {{ exclude_columns(['recency']) }}
    from renamed
    where recency = 1
)

select * from final
