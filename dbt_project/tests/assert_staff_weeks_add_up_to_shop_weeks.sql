-- Per-barber numbers add up to the shop's, so an owner's per-chair view never disagrees; and no
-- barber week outlives the shop's visits of that week (an incremental build that left one
-- behind fails here rather than showing it).
with staff as (
    select shop_id, week_start, sum(visits) as visits, sum(revenue_total) as revenue
    from {{ ref('fct_weekly_staff_metrics') }}
    group by shop_id, week_start
),

shop as (
    select shop_id, week_start, appointments_completed as visits, revenue_total as revenue
    from {{ ref('fct_weekly_shop_metrics') }}
    where appointments_completed > 0
)

select *
from shop
full outer join staff using (shop_id, week_start)
where coalesce(staff.visits, 0) != coalesce(shop.visits, 0)
    or coalesce(staff.revenue, 0) != coalesce(shop.revenue, 0)
