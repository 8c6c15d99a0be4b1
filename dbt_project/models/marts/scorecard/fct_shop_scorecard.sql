-- Per shop, month and principle (docs/metrics.md, "Scorecard"): the value, its target, the score
-- (value / target, between 0 and 100%), and the one change that would move it most, in the
-- shop's own numbers. The health score is the mean of the month's scored principles; a
-- principle without a value (no visits, retention not known yet, no target set) is left out of
-- the mean rather than counted as 0. Read complete months only (`is_complete`): a month in
-- progress is not a month that went badly.
with activity as (
    select * from {{ ref('int_shops__monthly_activity') }}
),

targets as (
    select * from {{ ref('int_shops__scorecard_targets') }}
),

shops as (
    select shop_id, currency from {{ ref('dim_shop') }}
),

months as (
    select
        activity.*,
        targets.premium_price,
        targets.target_premium_share,
        targets.target_price_realisation,
        targets.target_retention,
        targets.target_rebooking,
        targets.target_utilization,
        targets.target_revenue_per_hour,
        targets.target_new_client_growth,
        shops.currency,
        activity.staff_minutes_available / 60.0 as chair_hours,
        year_before.new_clients as new_clients_year_before
    from activity
    inner join targets using (shop_id)
    inner join shops using (shop_id)
    left join activity as year_before
        on year_before.shop_id = activity.shop_id
        and year_before.month_start
            = cast({{ dbt.dateadd('month', -12, 'activity.month_start') }} as date)
        and year_before.is_complete
),

principles as (
    select
        shop_id, month_start, month_end, is_complete, as_of_date,
        1 as principle_order,
        'premium_positioning' as principle,
        'Premium positioning' as principle_name,
        'share of service revenue from services listed at '
            || currency || ' ' || printf('%.0f', premium_price) || ' or more' as measure,
        {{ safe_divide('revenue_service_premium', 'revenue_service') }} as value,
        target_premium_share as target,
        case when revenue_service_premium = 0
            then 'Offer a service listed at ' || currency || ' ' || printf('%.0f', premium_price)
                || ' or more: none sold this month; ' || currency || ' '
                || printf('%.0f', ceil(target_premium_share * revenue_service))
                || ' a month of them would reach the target'
            else 'Sell ' || currency || ' '
                || printf(
                    '%.0f', ceil(target_premium_share * revenue_service - revenue_service_premium)
                )
                || ' more a month of services listed at ' || currency || ' '
                || printf('%.0f', premium_price) || ' or more'
        end as change_to_target
    from months

    union all

    select
        shop_id, month_start, month_end, is_complete, as_of_date,
        2,
        'value_based_pricing',
        'Value-based pricing',
        'price realisation: service revenue / list price of the services delivered',
        {{ safe_divide('revenue_service_priced', 'list_price_delivered') }},
        target_price_realisation,
        'Charge list price for ' || coalesce(most_discounted_service, 'every service') || ': '
            || currency || ' ' || printf('%.0f', most_discounted_amount)
            || ' under list this month'
    from months

    union all

    select
        shop_id, month_start, month_end, is_complete, as_of_date,
        3,
        'client_relationships',
        'Client relationships',
        'new clients back within 90 days of their first visit',
        case when is_retention_known
            then {{ safe_divide('new_clients_retained_90d', 'new_clients') }}
        end,
        target_retention,
        'Bring back '
            || printf('%.0f', ceil(target_retention * new_clients - new_clients_retained_90d))
            || ' more of the month''s ' || new_clients || ' new clients within 90 days'
    from months

    union all

    select
        shop_id, month_start, month_end, is_complete, as_of_date,
        4,
        'rebooking',
        'Rebooking',
        'visits that left with the next appointment booked',
        {{ safe_divide('visits_rebooked', 'visits') }},
        target_rebooking,
        'Book the next visit before the client leaves on '
            || printf('%.0f', ceil(target_rebooking * visits - visits_rebooked))
            || ' more of the month''s ' || visits || ' visits'
    from months

    union all

    select
        shop_id, month_start, month_end, is_complete, as_of_date,
        5,
        'business_efficiency',
        'Business efficiency',
        'utilization: booked chair minutes / staffed minutes',
        {{ safe_divide('occupied_minutes', 'staff_minutes_available') }},
        target_utilization,
        'Fill '
            || printf(
                '%.0f',
                ceil((target_utilization * staff_minutes_available - occupied_minutes) / 60.0)
            )
            || ' more chair-hours a month, or staff '
            || printf(
                '%.0f',
                ceil((staff_minutes_available - occupied_minutes / target_utilization) / 60.0)
            )
            || ' fewer'
    from months

    union all

    select
        shop_id, month_start, month_end, is_complete, as_of_date,
        6,
        'revenue_per_hour',
        'Revenue per hour',
        'service revenue per staffed chair-hour',
        {{ safe_divide('revenue_service', 'chair_hours') }},
        target_revenue_per_hour,
        'Earn ' || currency || ' '
            || printf('%.0f', ceil(target_revenue_per_hour * chair_hours - revenue_service))
            || ' more service revenue in the same ' || printf('%.0f', chair_hours) || ' chair-hours'
    from months

    union all

    select
        shop_id, month_start, month_end, is_complete, as_of_date,
        7,
        'brand_and_reach',
        'Brand and reach',
        'new clients against the same month a year earlier',
        {{ safe_divide('new_clients', 'new_clients_year_before') }} - 1,
        target_new_client_growth,
        'Win '
            || printf(
                '%.0f',
                ceil(new_clients_year_before * (1 + target_new_client_growth) - new_clients)
            )
            || ' more new clients (this month ' || new_clients || ', a year earlier '
            || new_clients_year_before || ')'
    from months
),

scored as (
    select
        *,
        case when value is not null and target > 0
            then least(greatest(value / target, 0), 1)
        end as score
    from principles
),

final as (
    select
        shop_id,
        month_start,
        month_end,
        is_complete,
        principle_order,
        principle,
        principle_name,
        measure,
        -- four decimals: a score is read as a percentage, and decimals compare exactly
        cast(value as decimal(14, 4)) as value,
        cast(target as decimal(14, 4)) as target,
        cast(score as decimal(5, 4)) as score,
        case
            when target is null then 'No target set: add it to the shops file'
            when value is null and principle = 'client_relationships'
                then 'Known once 90 days have passed after the month'
            when value is null then 'Not enough data this month'
            when score >= 1 then 'On target'
            else change_to_target
        end as next_change,
        cast(avg(score) over (partition by shop_id, month_start) as decimal(5, 4)) as health_score,
        count(score) over (partition by shop_id, month_start) as principles_scored,
        as_of_date
    from scored
)

select * from final
