-- Service popularity and revenue mix per shop and week (completed visits, by scheduled start).
--
-- Incremental (dbt_project.yml): per shop, the weeks from the first one that can have changed
-- are computed again and replace that shop's rows of those weeks.
with rebuild as (
    {{ weeks_to_rebuild() }}
),

visits as (
    {{ rows_in_weeks_to_rebuild(ref('fct_appointments'), 'appointments') }}
    where appointments.status = 'completed'
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
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
        {{ is_complete_week('aggregated.week_start') }} as is_complete,
        aggregated.service_code,
        services.service_name,
        services.category,
        aggregated.visits,
        aggregated.revenue_service,
        {{ safe_divide('aggregated.visits', 'sum(aggregated.visits) over shop_week') }}
            as share_of_visits,
        {{ safe_divide(
            'aggregated.revenue_service', 'sum(aggregated.revenue_service) over shop_week'
        ) }} as share_of_revenue,
        {{ as_of_date('shops.time_zone') }} as as_of_date,
        now() as refreshed_at
    from aggregated
    inner join shops using (shop_id)
    left join services using (shop_id, service_code)
    left join {{ ref('int_shops__data_coverage') }} as coverage using (shop_id)
    window shop_week as (partition by aggregated.shop_id, aggregated.week_start)
)

select * from final
