-- Per shop and calendar month (shop-local service date): the numerators and denominators the
-- scorecard's principles are made of (docs/metrics.md, "Scorecard"), dated like the weekly marts.
-- A month is complete when it has ended by the as-of date and the shop's data covers all of it;
-- new-client retention is known only once 90 days have passed after the month's last day.
-- Months run over the span the shop's data covers (int_shops__data_coverage).
with appointments as (
    select * from {{ ref('fct_appointments') }}
    where status in ('completed', 'no_show')
),

all_visits as (
    -- retention looks for a later visit anywhere in the chain, in any month
    select customer_key, service_date from {{ ref('fct_appointments') }}
    where status = 'completed'
),

prices as (
    select * from {{ ref('int_prices__history') }}
),

targets as (
    select shop_id, premium_price from {{ ref('int_shops__scorecard_targets') }}
),

coverage as (
    select * from {{ ref('int_shops__data_coverage') }}
),

months as (
    select coverage.shop_id, cast(month_start as date) as month_start
    from coverage,
        unnest(generate_series(
            cast({{ dbt.date_trunc('month', 'coverage.covered_from') }} as date),
            cast({{ dbt.date_trunc('month', 'coverage.covered_through') }} as date),
            interval 1 month
        )) as t(month_start)
),

priced as (
    select
        appointments.*,
        cast({{ dbt.date_trunc('month', 'appointments.service_date') }} as date) as month_start,
        prices.price as list_price,
        prices.service_name,
        prices.price >= targets.premium_price as is_premium,
        appointments.is_first_visit and exists (
            select 1 from all_visits as later
            where later.customer_key = appointments.customer_key
                and later.service_date > appointments.service_date
                and later.service_date <= appointments.service_date + 90
        ) as is_retained_90d
    from appointments
    left join prices
        on prices.shop_id = appointments.shop_id
        and prices.service_code = appointments.service_code
        and appointments.service_date >= prices.valid_from
        and appointments.service_date < prices.valid_to
    left join targets on targets.shop_id = appointments.shop_id
),

visit_metrics as (
    select
        shop_id,
        month_start,
        count(*) filter (where status = 'completed') as visits,
        coalesce(sum(duration_min), 0) as occupied_minutes,
        coalesce(sum(revenue_service), 0) as revenue_service,
        coalesce(sum(revenue_service) filter (where is_premium), 0) as revenue_service_premium,
        coalesce(sum(revenue_service) filter (where list_price is not null), 0)
            as revenue_service_priced,
        coalesce(sum(list_price) filter (where status = 'completed'), 0) as list_price_delivered,
        count(*) filter (where is_rebooked) as visits_rebooked,
        count(*) filter (where is_first_visit) as new_clients,
        count(*) filter (where is_retained_90d) as new_clients_retained_90d
    from priced
    group by shop_id, month_start
),

discounts as (
    -- the service charged furthest below its list price in the month: price realisation's lever
    select
        shop_id,
        month_start,
        service_name as most_discounted_service,
        sum(list_price) - sum(revenue_service) as most_discounted_amount
    from priced
    where status = 'completed' and list_price is not null
    group by shop_id, month_start, service_name
    qualify row_number() over (
        partition by shop_id, month_start
        order by sum(list_price) - sum(revenue_service) desc, service_name
    ) = 1
),

capacity as (
    {{ staff_minutes_available(
        'cast(' ~ dbt.date_trunc('month', 'roster.day') ~ ' as date)', 'month_start'
    ) }}
),

joined as (
    select
        months.shop_id,
        months.month_start,
        cast({{ dbt.dateadd('month', 1, 'months.month_start') }} as date) as month_end,
        coverage.covered_from,
        coverage.covered_through,
        coverage.as_of_date,
        {{ zero_if_missing('visit_metrics', [
            'visits', 'revenue_service', 'revenue_service_premium', 'revenue_service_priced',
            'list_price_delivered', 'visits_rebooked', 'new_clients', 'new_clients_retained_90d',
            'occupied_minutes',
        ]) }},
        coalesce(capacity.staff_minutes_available, 0) as staff_minutes_available,
        discounts.most_discounted_service,
        discounts.most_discounted_amount
    from months
    inner join coverage using (shop_id)
    left join visit_metrics using (shop_id, month_start)
    left join capacity using (shop_id, month_start)
    left join discounts using (shop_id, month_start)
),

final as (
    select
        shop_id,
        month_start,
        month_end,
        coalesce(
            month_start >= covered_from
            and month_end - 1 <= covered_through
            and month_end <= as_of_date,
            false
        ) as is_complete,
        -- the month's last first visits have had their 90 days
        coalesce(month_end + 90 <= as_of_date, false) as is_retention_known,
        visits,
        cast(revenue_service as decimal(14, 2)) as revenue_service,
        cast(revenue_service_premium as decimal(14, 2)) as revenue_service_premium,
        cast(revenue_service_priced as decimal(14, 2)) as revenue_service_priced,
        cast(list_price_delivered as decimal(14, 2)) as list_price_delivered,
        visits_rebooked,
        new_clients,
        new_clients_retained_90d,
        occupied_minutes,
        staff_minutes_available,
        most_discounted_service,
        cast(most_discounted_amount as decimal(14, 2)) as most_discounted_amount,
        as_of_date
    from joined
)

select * from final
