-- Weekly revenue per shop sums to the revenue of its completed appointments, to the cent.
with weekly as (
    select shop_id, sum(revenue_total) as revenue from {{ ref('fct_weekly_shop_metrics') }}
    group by shop_id
),

appointments as (
    select shop_id, sum(revenue_total) as revenue from {{ ref('fct_appointments') }}
    where status = 'completed' and week_start <= (
        select max(week_start) from {{ ref('fct_weekly_shop_metrics') }}
    )
    group by shop_id
)

select *
from weekly
full outer join appointments using (shop_id)
where coalesce(weekly.revenue, 0) != coalesce(appointments.revenue, 0)
