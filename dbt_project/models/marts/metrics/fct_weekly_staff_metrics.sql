-- Per barber per week: what owners ask for when they compare chairs. Same dating as the shop
-- metrics (scheduled start of completed appointments, shop-local), so a barber's weeks add up
-- to the shop's. `return_rate_90d`: visits whose client came back (to anyone in the chain)
-- within 90 days / visits; NULL until 90 days have passed since the week's end.
--
-- Incremental (dbt_project.yml): per shop, the weeks from the first one that can have changed
-- are computed again and replace that shop's rows of those weeks.
with rebuild as (
    {{ weeks_to_rebuild() }}
),

appointments as (
    {{ rows_in_weeks_to_rebuild(ref('fct_appointments'), 'appointments') }}
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

visits as (
    select
        visit.*,
        exists (
            select 1 from {{ ref('fct_appointments') }} as later
            where later.customer_key = visit.customer_key
                and later.status = 'completed'
                and later.service_date > visit.service_date
                and later.service_date <= visit.service_date + 90
        ) as client_returned_90d
    from appointments as visit
    where visit.status = 'completed' and visit.staff_id is not null
),

aggregated as (
    select
        shop_id,
        staff_id,
        week_start,
        count(*) as visits,
        count(distinct customer_key) as clients_served,
        count(*) filter (where is_first_visit) as new_clients,
        cast(sum(revenue_service) as decimal(14, 2)) as revenue_service,
        cast(sum(revenue_product) as decimal(14, 2)) as revenue_product,
        cast(sum(revenue_total) as decimal(14, 2)) as revenue_total,
        cast(sum(tip) as decimal(14, 2)) as tips,
        count(*) filter (where is_rebooked) as visits_rebooked,
        count(*) filter (where client_returned_90d) as visits_returned_90d,
        sum(duration_min) as service_minutes
    from visits
    group by shop_id, staff_id, week_start
),

final as (
    select
        aggregated.shop_id,
        aggregated.staff_id,
        aggregated.week_start,
        {{ is_complete_week('aggregated.week_start') }} as is_complete,
        aggregated.visits,
        aggregated.clients_served,
        aggregated.new_clients,
        aggregated.revenue_service,
        aggregated.revenue_product,
        aggregated.revenue_total,
        aggregated.tips,
        cast({{ safe_divide('aggregated.revenue_total', 'aggregated.visits') }} as decimal(14, 2))
            as avg_ticket,
        {{ safe_divide('aggregated.visits_rebooked', 'aggregated.visits') }} as rebooking_rate,
        case
            when aggregated.week_start + 6 + 90 < {{ as_of_date('shops.time_zone') }}
                then {{ safe_divide('aggregated.visits_returned_90d', 'aggregated.visits') }}
        end as return_rate_90d,
        aggregated.visits_rebooked,
        aggregated.visits_returned_90d,
        aggregated.service_minutes,
        {{ as_of_date('shops.time_zone') }} as as_of_date,
        now() as refreshed_at
    from aggregated
    inner join shops using (shop_id)
    left join {{ ref('int_shops__data_coverage') }} as coverage using (shop_id)
)

select * from final
