-- The peak-time view: per shop, week, weekday and hour of day (shop-local), the chair minutes
-- the roster offered and the minutes appointments occupied (completed and no-show, as in
-- utilization). An appointment is split across the hours it spans.
--
-- Incremental (dbt_project.yml): per shop, the weeks from the first one that can have changed
-- are computed again and replace that shop's rows of those weeks.
with rebuild as (
    {{ weeks_to_rebuild() }}
),

appointments as (
    {{ rows_in_weeks_to_rebuild(ref('fct_appointments'), 'appointments') }}
    where appointments.status in ('completed', 'no_show') and appointments.duration_min > 0
),

appointment_hours as (
    select
        appointments.shop_id,
        appointments.appointment_id,
        appointments.scheduled_start_local as starts,
        appointments.scheduled_start_local + to_minutes(appointments.duration_min) as ends,
        hour_start
    from appointments,
        unnest(generate_series(
            date_trunc('hour', appointments.scheduled_start_local),
            appointments.scheduled_start_local + to_minutes(appointments.duration_min - 1),
            interval 1 hour
        )) as t(hour_start)
),

occupied as (
    select
        shop_id,
        hour_start,
        count(*) filter (where starts >= hour_start) as appointments_started,
        sum(datediff(
            'minute',
            greatest(starts, hour_start),
            least(ends, hour_start + interval 1 hour)
        )) as occupied_minutes
    from appointment_hours
    group by shop_id, hour_start
),

open_hours as (
    -- each open hour of each day, with the minutes of it the shop is open (a shop closing at
    -- 17:30 is open 30 minutes of its 17:00 hour), times the staff on the roster that day
    select
        roster.shop_id,
        cast(roster.day as timestamp) + to_hours(hour_of_day) as hour_start,
        sum(
            greatest(0, datediff(
                'minute',
                greatest(make_time(hour_of_day, 0, 0), calendar.opens_at),
                least(make_time(hour_of_day, 0, 0) + interval 1 hour, calendar.closes_at)
            ))
        ) as staff_minutes_available
    from {{ ref('int_staff__roster_days') }} as roster
    inner join rebuild
        on rebuild.shop_id = roster.shop_id and roster.day >= rebuild.from_week
    inner join {{ ref('int_shops__calendar') }} as calendar
        on calendar.shop_id = roster.shop_id and calendar.iso_dow = isodow(roster.day),
        unnest(range(hour(calendar.opens_at), hour(calendar.closes_at - interval 1 minute) + 1))
            as t(hour_of_day)
    group by all
),

final as (
    select
        coalesce(open_hours.shop_id, occupied.shop_id) as shop_id,
        cast(date_trunc('week', coalesce(open_hours.hour_start, occupied.hour_start)) as date)
            as week_start,
        isodow(coalesce(open_hours.hour_start, occupied.hour_start)) as iso_dow,
        hour(coalesce(open_hours.hour_start, occupied.hour_start)) as hour_of_day,
        coalesce(open_hours.hour_start, occupied.hour_start) as hour_start_local,
        coalesce(occupied.appointments_started, 0) as appointments_started,
        coalesce(occupied.occupied_minutes, 0) as occupied_minutes,
        coalesce(open_hours.staff_minutes_available, 0) as staff_minutes_available,
        -- an open hour nobody was booked in is 0% used, not unknown
        {{ safe_divide(
            'coalesce(occupied.occupied_minutes, 0)', 'open_hours.staff_minutes_available'
        ) }} as utilization
    from open_hours
    full outer join occupied using (shop_id, hour_start)
)

select
    final.*,
    {{ is_complete_week('final.week_start') }} as is_complete,
    {{ as_of_date('shops.time_zone') }} as as_of_date,
    now() as refreshed_at
from final
inner join {{ ref('dim_shop') }} as shops using (shop_id)
left join {{ ref('int_shops__data_coverage') }} as coverage using (shop_id)
