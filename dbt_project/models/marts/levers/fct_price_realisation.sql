-- Revenue lever "price realisation", per shop and service over the year before the as-of date
-- (half-open [as_of - 365, as_of), completed visits whose service had a list price that day):
-- what was charged against the list price in force on the service date (int_prices__history),
-- the share of visits charged below list, and the money left on the table. Effect range, a year,
-- if clients keep coming at the prices asked: low, the service charged up to the shop's price
-- realisation target (docs/metrics.md, "Scorecard"; nothing when it already is); high, every
-- visit charged below list charged at list. A service with fewer than `min_visits` priced visits
-- in the year is too few to read a habit from: `is_enough_data` is false.
{%- set min_visits = var('price_realisation_min_visits', 30) %}
with shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

targets as (
    select shop_id, target_price_realisation from {{ ref('int_shops__scorecard_targets') }}
),

visits as (
    select
        appointments.shop_id,
        appointments.service_code,
        prices.service_name,
        prices.price as list_price,
        prices.valid_from,
        coalesce(appointments.revenue_service, 0) as charged
    from {{ ref('fct_appointments') }} as appointments
    inner join shops using (shop_id)
    inner join {{ ref('int_prices__history') }} as prices
        on prices.shop_id = appointments.shop_id
        and prices.service_code = appointments.service_code
        and appointments.service_date >= prices.valid_from
        and appointments.service_date < prices.valid_to
    where appointments.status = 'completed'
        and appointments.service_date
            >= cast({{ dbt.dateadd('day', -365, as_of_date('shops.time_zone')) }} as date)
        and appointments.service_date < {{ as_of_date('shops.time_zone') }}
),

services as (
    select
        shop_id,
        service_code,
        -- the name on the latest price list of the year
        arg_max(service_name, valid_from) as service_name,
        count(*) as visits,
        count(*) filter (where charged < list_price) as visits_below_list,
        sum(list_price) as list_price_delivered,
        sum(charged) as revenue_service,
        sum(greatest(list_price - charged, 0)) as amount_below_list
    from visits
    group by shop_id, service_code
),

final as (
    select
        services.shop_id,
        services.service_code,
        services.service_name,
        services.visits,
        services.visits_below_list,
        cast({{ safe_divide('services.visits_below_list', 'services.visits') }}
            as decimal(5, 4)) as share_below_list,
        cast(services.list_price_delivered as decimal(14, 2)) as list_price_delivered,
        cast(services.revenue_service as decimal(14, 2)) as revenue_service,
        cast({{ safe_divide('services.revenue_service', 'services.list_price_delivered') }}
            as decimal(8, 4)) as realisation,
        cast(targets.target_price_realisation as decimal(5, 4)) as target_realisation,
        cast(greatest(
            targets.target_price_realisation * services.list_price_delivered
                - services.revenue_service,
            0
        ) as decimal(14, 2)) as effect_low,
        cast(services.amount_below_list as decimal(14, 2)) as effect_high,
        services.visits >= {{ min_visits }} as is_enough_data,
        {{ as_of_date('shops.time_zone') }} as as_of_date
    from services
    inner join shops using (shop_id)
    inner join targets using (shop_id)
)

select * from final
