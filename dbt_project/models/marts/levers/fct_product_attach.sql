-- Revenue lever "product attach rate", per shop and barber over the year before the as-of date
-- (half-open [as_of - 365, as_of), completed visits): the share of their visits with a product
-- sale, against the shop's best barber. Effect range if the barber sold products on as many
-- visits as the shop overall (low) or as its best barber (high), at the barber's own mean
-- product sale (the shop's when they sold none), over the same visits. A barber with fewer than
-- `min_visits` visits in the year is too few to compare: `is_enough_data` is false.
{%- set min_visits = var('product_attach_min_visits', 50) %}
with shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

visits as (
    select appointments.shop_id, appointments.staff_id, appointments.revenue_product
    from {{ ref('fct_appointments') }} as appointments
    inner join shops using (shop_id)
    where appointments.status = 'completed'
        and appointments.staff_id is not null
        and appointments.service_date
            >= cast({{ dbt.dateadd('day', -365, as_of_date('shops.time_zone')) }} as date)
        and appointments.service_date < {{ as_of_date('shops.time_zone') }}
),

barbers as (
    select
        shop_id,
        staff_id,
        count(*) as visits,
        count(*) filter (where revenue_product > 0) as visits_with_product,
        sum(revenue_product) as revenue_product
    from visits
    group by shop_id, staff_id
),

shop_rates as (
    select
        shop_id,
        {{ safe_divide('sum(visits_with_product)', 'sum(visits)') }} as shop_attach_rate,
        max({{ safe_divide('visits_with_product', 'visits') }})
            filter (where visits >= {{ min_visits }}) as best_attach_rate,
        {{ safe_divide('sum(revenue_product)', 'sum(visits_with_product)') }}
            as shop_product_sale
    from barbers
    group by shop_id
),

rated as (
    select
        barbers.*,
        {{ safe_divide('barbers.visits_with_product', 'barbers.visits') }} as attach_rate,
        shop_rates.shop_attach_rate,
        shop_rates.best_attach_rate,
        coalesce(
            {{ safe_divide('barbers.revenue_product', 'barbers.visits_with_product') }},
            shop_rates.shop_product_sale
        ) as product_sale
    from barbers
    inner join shop_rates using (shop_id)
),

final as (
    select
        shop_id,
        staff_id,
        visits,
        visits_with_product,
        cast(attach_rate as decimal(5, 4)) as attach_rate,
        cast(shop_attach_rate as decimal(5, 4)) as shop_attach_rate,
        cast(best_attach_rate as decimal(5, 4)) as best_attach_rate,
        cast(product_sale as decimal(14, 2)) as product_sale,
        cast(greatest(shop_attach_rate - attach_rate, 0) * visits * product_sale
            as decimal(14, 2)) as effect_low,
        cast(greatest(best_attach_rate - attach_rate, 0) * visits * product_sale
            as decimal(14, 2)) as effect_high,
        visits >= {{ min_visits }} as is_enough_data,
        {{ as_of_date('time_zone') }} as as_of_date
    from rated
    inner join shops using (shop_id)
)

select * from final
