{#- A per-shop-week breakdown (per barber, per service) covers exactly the shop's completed
    visits of each week and their `revenue`: an owner's breakdown never disagrees with the
    shop's numbers, and no week outlives the visits it counted (an incremental build that left
    one behind fails here rather than showing it). -#}
{% test adds_up_to_shop_weeks(model, revenue) %}
with breakdown as (
    select shop_id, week_start, sum(visits) as visits, sum({{ revenue }}) as revenue
    from {{ model }}
    group by shop_id, week_start
),

shop as (
    select shop_id, week_start, appointments_completed as visits, {{ revenue }} as revenue
    from {{ ref('fct_weekly_shop_metrics') }}
    where appointments_completed > 0
)

select *
from shop
full outer join breakdown using (shop_id, week_start)
where coalesce(breakdown.visits, 0) != coalesce(shop.visits, 0)
    or coalesce(breakdown.revenue, 0) != coalesce(shop.revenue, 0)
{% endtest %}
