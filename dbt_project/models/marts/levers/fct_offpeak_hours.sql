-- Revenue lever "off-peak capacity", per shop, weekday and hour of day (shop-local), over the
-- complete weeks that started in the `window_days` before the as-of date
-- (fct_hourly_capacity): how full the chairs were, and how many calls were missed while they
-- were full. Two kinds of hour are levers:
--   quiet hour: utilization below half the shop's utilization target. Effect range (a year):
--     the hour filled up to half the target (low) or to the target (high), at the shop's service
--     revenue per booked chair-hour of the window, before any off-peak discount;
--   turning away: `min_missed` calls or more missed in the hour in weeks it was full (occupied
--     `full_share` of its staffed minutes or more). Effect range (a year): each such call a visit
--     lost at the shop's answered-call conversion rate (low) or every one of them (high), at the
--     shop's mean service ticket of the window; a chair more in that hour would have taken them.
-- An hour open in fewer than `min_weeks` weeks of the window is too few to read
-- (`is_enough_data` false); the window's figures are scaled to a year by 52 / its weeks.
{%- set window_days = var('offpeak_window_days', 91) %}
{%- set min_weeks = var('offpeak_min_weeks', 8) %}
{%- set full_share = 0.9 %}
{%- set min_missed = 3 %}
with shops as (
    select shop_id, time_zone, {{ as_of_date('time_zone') }} as as_of_date
    from {{ ref('dim_shop') }}
),

targets as (
    select shop_id, target_utilization from {{ ref('int_shops__scorecard_targets') }}
),

hours as (
    select capacity.*
    from {{ ref('fct_hourly_capacity') }} as capacity
    inner join shops using (shop_id)
    where capacity.is_complete
        and capacity.staff_minutes_available > 0
        and capacity.week_start >= shops.as_of_date - {{ window_days }}
),

missed_calls as (
    select
        calls.shop_id,
        date_trunc('hour', calls.started_at_local) as hour_start_local,
        count(*) as calls_missed
    from {{ ref('fct_calls') }} as calls
    where calls.is_missed
    group by all
),

slots as (
    select
        hours.shop_id,
        hours.iso_dow,
        hours.hour_of_day,
        count(*) as weeks_open,
        sum(hours.staff_minutes_available) as staff_minutes_available,
        sum(hours.occupied_minutes) as occupied_minutes,
        count(*) filter (
            where hours.occupied_minutes >= {{ full_share }} * hours.staff_minutes_available
        ) as weeks_full,
        coalesce(sum(missed_calls.calls_missed), 0) as calls_missed,
        coalesce(sum(missed_calls.calls_missed) filter (
            where hours.occupied_minutes >= {{ full_share }} * hours.staff_minutes_available
        ), 0) as calls_missed_while_full
    from hours
    left join missed_calls using (shop_id, hour_start_local)
    group by all
),

window_weeks as (
    select shop_id, count(distinct week_start) as weeks, min(week_start) as first_week,
        max(week_start) as last_week
    from hours
    group by shop_id
),

money as (
    -- the window's service revenue per booked chair-hour and per visit
    select
        appointments.shop_id,
        {{ safe_divide(
            'sum(appointments.revenue_service)', 'sum(appointments.duration_min) / 60.0'
        ) }} as revenue_per_booked_hour,
        {{ safe_divide('sum(appointments.revenue_service)', 'count(*)') }} as service_ticket
    from {{ ref('fct_appointments') }} as appointments
    inner join window_weeks
        on window_weeks.shop_id = appointments.shop_id
        and appointments.week_start between window_weeks.first_week and window_weeks.last_week
    where appointments.status = 'completed'
    group by appointments.shop_id
),

conversion as (
    select
        calls.shop_id,
        {{ safe_divide('count(*) filter (where calls.is_converted)',
                       'count(*) filter (where calls.is_answered)') }} as call_conversion_rate
    from {{ ref('fct_calls') }} as calls
    inner join window_weeks
        on window_weeks.shop_id = calls.shop_id
        and calls.week_start between window_weeks.first_week and window_weeks.last_week
    group by calls.shop_id
),

rated as (
    select
        slots.*,
        {{ safe_divide('slots.occupied_minutes', 'slots.staff_minutes_available') }}
            as utilization,
        targets.target_utilization,
        window_weeks.weeks as window_weeks,
        52.0 / window_weeks.weeks as to_a_year,
        money.revenue_per_booked_hour,
        money.service_ticket,
        conversion.call_conversion_rate
    from slots
    inner join window_weeks using (shop_id)
    inner join targets using (shop_id)
    left join money using (shop_id)
    left join conversion using (shop_id)
),

final as (
    select
        rated.shop_id,
        rated.iso_dow,
        rated.hour_of_day,
        rated.window_weeks,
        rated.weeks_open,
        rated.staff_minutes_available,
        rated.occupied_minutes,
        cast(rated.utilization as decimal(5, 4)) as utilization,
        cast(rated.target_utilization as decimal(5, 4)) as target_utilization,
        rated.weeks_full,
        rated.calls_missed,
        rated.calls_missed_while_full,
        case
            when rated.calls_missed_while_full >= {{ min_missed }} then 'turning_away'
            when rated.utilization < rated.target_utilization / 2 then 'quiet_hour'
        end as lever,
        cast(case
            when rated.calls_missed_while_full >= {{ min_missed }}
                then rated.calls_missed_while_full * rated.call_conversion_rate
                    * rated.service_ticket * rated.to_a_year
            when rated.utilization < rated.target_utilization / 2
                then (rated.target_utilization / 2 - rated.utilization)
                    * rated.staff_minutes_available / 60.0 * rated.revenue_per_booked_hour
                    * rated.to_a_year
        end as decimal(14, 2)) as effect_low,
        cast(case
            when rated.calls_missed_while_full >= {{ min_missed }}
                then rated.calls_missed_while_full * rated.service_ticket * rated.to_a_year
            when rated.utilization < rated.target_utilization / 2
                then (rated.target_utilization - rated.utilization)
                    * rated.staff_minutes_available / 60.0 * rated.revenue_per_booked_hour
                    * rated.to_a_year
        end as decimal(14, 2)) as effect_high,
        rated.weeks_open >= {{ min_weeks }} as is_enough_data,
        shops.as_of_date
    from rated
    inner join shops using (shop_id)
)

select * from final
