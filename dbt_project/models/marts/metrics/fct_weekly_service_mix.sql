-- Service popularity and revenue mix per shop and week (completed visits, by scheduled start).
with visits as (
    select * from {{ ref('fct_appointments') }} where status = 'completed'
),

services as (
    select shop_id, service_code, service_name, category from {{ ref('dim_service') }}
),

aggregated as (
    select
        shop_id,
        week_start,
        service_code,
        count(*) as visits,
        cast(sum(revenue_service) as decimal(14, 2)) as revenue_service
    from visits
    group by shop_id, week_start, service_code
),

final as (
    select
        aggregated.shop_id,
        aggregated.week_start,
        aggregated.service_code,
        services.service_name,
        services.category,
        aggregated.visits,
        aggregated.revenue_service,
        {{ safe_divide('aggregated.visits', 'sum(aggregated.visits) over shop_week') }}
            as share_of_visits,
        {{ safe_divide('aggregated.revenue_service', 'sum(aggregated.revenue_service) over shop_week') }}
            as share_of_revenue
    from aggregated
    left join services using (shop_id, service_code)
    window shop_week as (partition by aggregated.shop_id, aggregated.week_start)
)

select * from final
