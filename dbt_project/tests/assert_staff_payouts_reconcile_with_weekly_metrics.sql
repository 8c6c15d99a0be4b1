-- Pay periods are whole weeks, so per shop and period the staff payouts' service revenue and
-- tips equal the sum of the period's weeks in fct_weekly_shop_metrics, to the cent, both ways:
-- a completed visit with no staff member (money no one is paid for) shows up as a difference.
with payouts as (
    select shop_id, period_start, sum(revenue_service) as revenue_service, sum(tips) as tips
    from {{ ref('fct_staff_payouts') }}
    group by shop_id, period_start
),

weekly as (
    select
        shop_id,
        {{ pay_period_start('week_start') }} as period_start,
        sum(revenue_service) as revenue_service,
        sum(tips) as tips
    from {{ ref('fct_weekly_shop_metrics') }}
    group by shop_id, {{ pay_period_start('week_start') }}
)

select
    coalesce(payouts.shop_id, weekly.shop_id) as shop_id,
    coalesce(payouts.period_start, weekly.period_start) as period_start,
    payouts.revenue_service as payout_revenue_service,
    weekly.revenue_service as weekly_revenue_service,
    payouts.tips as payout_tips,
    weekly.tips as weekly_tips
from payouts
full outer join weekly
    on weekly.shop_id = payouts.shop_id and weekly.period_start = payouts.period_start
where coalesce(payouts.revenue_service, 0) != coalesce(weekly.revenue_service, 0)
    or coalesce(payouts.tips, 0) != coalesce(weekly.tips, 0)
