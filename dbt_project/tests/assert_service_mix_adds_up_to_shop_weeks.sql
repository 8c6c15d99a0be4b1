-- The service mix of a week covers exactly the shop's completed visits of that week: shares
-- are of the real total, and no service week outlives the visits it counted (an incremental
-- build that left one behind fails here rather than showing it).
with mix as (
    select shop_id, week_start, sum(visits) as visits, sum(revenue_service) as revenue
    from {{ ref('fct_weekly_service_mix') }}
    group by shop_id, week_start
),

shop as (
    select shop_id, week_start, appointments_completed as visits, revenue_service as revenue
    from {{ ref('fct_weekly_shop_metrics') }}
    where appointments_completed > 0
)

select *
from shop
full outer join mix using (shop_id, week_start)
where coalesce(mix.visits, 0) != coalesce(shop.visits, 0)
    or coalesce(mix.revenue, 0) != coalesce(shop.revenue, 0)
