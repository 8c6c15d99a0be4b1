-- Per staff member and pay period (docs/metrics.md, "Pay and campaigns"): service revenue of their
-- completed appointments x their commission % in force on the service date + tips = payout.
-- Dated like the weekly marts (scheduled start, shop-local), so a period's revenue and tips are
-- the sum of its weeks in fct_weekly_shop_metrics to the cent
-- (tests/assert_staff_payouts_reconcile_with_weekly_metrics.sql).
--
-- A visit whose roster row has no commission %, or that falls on a day the member is on no
-- roster row, is counted in `visits_without_commission`; the period's commission and payout are
-- then NULL (flagged, never paid at 0) until the roster is fixed.
with appointments as (
    select * from {{ ref('fct_appointments') }}
    where status = 'completed' and staff_id is not null
),

commissions as (
    select * from {{ ref('int_staff__commission_history') }}
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

visits as (
    select
        appointments.shop_id,
        appointments.staff_id,
        appointments.appointment_id,
        {{ pay_period_start('appointments.service_date') }} as period_start,
        appointments.revenue_service,
        appointments.tip,
        commissions.commission_pct,
        -- exact decimals (a division would make it a double, and its sums order-dependent)
        appointments.revenue_service * commissions.commission_pct * 0.01 as commission
    from appointments
    left join commissions
        on commissions.shop_id = appointments.shop_id
        and commissions.staff_id = appointments.staff_id
        and appointments.service_date >= commissions.valid_from
        and appointments.service_date < commissions.valid_to
),

aggregated as (
    select
        shop_id,
        staff_id,
        period_start,
        count(*) as visits,
        count(*) filter (where commission_pct is null) as visits_without_commission,
        count(distinct commission_pct) as commission_rates,
        min(commission_pct) as min_commission_pct,
        sum(revenue_service) as revenue_service,
        sum(commission) as commission,
        sum(tip) as tips
    from visits
    group by shop_id, staff_id, period_start
),

final as (
    select
        aggregated.shop_id,
        aggregated.staff_id,
        aggregated.period_start,
        cast({{ dbt.dateadd('day', var('pay_period_days'), 'aggregated.period_start') }} as date)
            as period_end,
        cast({{ dbt.dateadd('day', var('pay_period_days'), 'aggregated.period_start') }} as date)
            <= {{ as_of_date('shops.time_zone') }} as is_complete,
        aggregated.visits,
        cast(aggregated.revenue_service as decimal(14, 2)) as revenue_service,
        -- the one rate of the period; NULL when it changed within it (see commission) or is missing
        case
            when aggregated.commission_rates = 1 and aggregated.visits_without_commission = 0
                then aggregated.min_commission_pct
        end as commission_pct,
        case
            when aggregated.visits_without_commission = 0
                then cast(round(aggregated.commission, 2) as decimal(14, 2))
        end as commission,
        cast(aggregated.tips as decimal(14, 2)) as tips,
        case
            when aggregated.visits_without_commission = 0
                then cast(round(aggregated.commission, 2) + aggregated.tips as decimal(14, 2))
        end as payout,
        aggregated.visits_without_commission,
        aggregated.visits_without_commission > 0 as is_commission_missing,
        {{ as_of_date('shops.time_zone') }} as as_of_date
    from aggregated
    inner join shops using (shop_id)
)

select * from final
