-- Per shop, the scorecard's targets: the shops file's own where it sets one, else the defaults
-- of docs/metrics.md (the `scorecard_defaults` var). Percentages of the file become fractions.
{%- set defaults = var('scorecard_defaults') %}
with shops as (
    select * from {{ ref('stg_inbox__shops') }}
),

final as (
    select
        shop_id,
        coalesce(premium_price, {{ defaults.premium_price }}) as premium_price,
        coalesce(target_premium_share_pct / 100, {{ defaults.premium_share }})
            as target_premium_share,
        coalesce(target_price_realisation_pct / 100, {{ defaults.price_realisation }})
            as target_price_realisation,
        coalesce(target_retention_pct / 100, {{ defaults.retention }}) as target_retention,
        coalesce(target_rebooking_pct / 100, {{ defaults.rebooking }}) as target_rebooking,
        coalesce(target_utilization_pct / 100, {{ defaults.utilization }}) as target_utilization,
        target_revenue_per_hour,
        coalesce(target_new_client_growth_pct / 100, {{ defaults.new_client_growth }})
            as target_new_client_growth
    from shops
)

select * from final
