-- Per-barber numbers add up to the shop's, so an owner's per-chair view never disagrees.
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
left join staff using (shop_id, week_start)
where staff.visits is distinct from shop.visits or staff.revenue is distinct from shop.revenue
