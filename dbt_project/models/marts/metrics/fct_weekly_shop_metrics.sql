-- One row per shop per business week (ISO week, shop-local), every metric of docs/metrics.md under
-- its exact name. Each block below computes one family on its own date: calls by start,
-- appointments by final scheduled start, bookings by booking time, money and clients by the
-- scheduled start of completed appointments. Each rate and growth is defined once, in the
-- `weekly_metrics` registry of dbt_project.yml (macros/weekly_metric.sql), which the apps and
-- insights read too; rates with a zero denominator are NULL.
-- `is_complete` says whether the week has ended and the shop's data covers all of it
-- (int_shops__data_coverage); growth is NULL unless both weeks are complete.
--
-- Incremental: per shop, only the weeks from the first one that can have changed are computed
-- again (macros/weeks_to_rebuild.sql), from the week before it so week-on-week growth has its
-- base; every other week keeps its row.
with shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

coverage as (
    select * from {{ ref('int_shops__data_coverage') }}
),

rebuild as (
    {{ weeks_to_rebuild() }}
),

appointments as (
    -- the weeks computed, and the one before them; a booking counts in the week it was made
    {{ rows_in_weeks_to_rebuild(
        ref('fct_appointments'), 'appointments',
        week='greatest(appointments.week_start, appointments.booked_week_start)',
        weeks_before=1,
    ) }}
),

calls as (
    {{ rows_in_weeks_to_rebuild(ref('fct_calls'), 'calls', weeks_before=1) }}
),

weeks as (
    -- every week from the shop's first activity to the week of its last data, and never past
    -- the week in progress, so quiet weeks are rows with zeros rather than missing
    select
        shops.shop_id,
        cast(week as date) as week_start
    from shops
    inner join (
        select shop_id, min(week_start) as first_week
        from (
            select shop_id, week_start from {{ ref('fct_appointments') }}
            union all select shop_id, booked_week_start from {{ ref('fct_appointments') }}
            union all select shop_id, week_start from {{ ref('fct_calls') }}
        )
        group by shop_id
    ) as activity using (shop_id)
    inner join rebuild using (shop_id)
    inner join coverage using (shop_id),
    unnest(generate_series(
        greatest(activity.first_week, rebuild.from_week - 7),
        {{ week_start('least(coverage.last_day, coverage.as_of_date)') }},
        interval 7 day
    )) as t(week)
),

call_metrics as (
    select
        shop_id,
        week_start,
        count(*) as calls_total,
        count(*) filter (where is_answered) as calls_answered,
        count(*) filter (where is_missed) as calls_missed,
        count(*) filter (where is_after_hours) as calls_after_hours,
        avg(duration_sec) filter (where is_answered) as avg_call_duration_sec,
        count(*) filter (where is_converted) as calls_converted
    from calls
    group by shop_id, week_start
),

scheduled_metrics as (
    select
        shop_id,
        week_start,
        count(*) as appointments_scheduled,
        count(*) filter (where status = 'completed') as appointments_completed,
        count(*) filter (where status = 'no_show') as appointments_no_show,
        count(*) filter (where status = 'cancelled') as appointments_cancelled,
        coalesce(sum(duration_min) filter (where status in ('completed', 'no_show')), 0)
            as occupied_minutes,
        coalesce(sum(revenue_service), 0) as revenue_service,
        coalesce(sum(revenue_product), 0) as revenue_product,
        coalesce(sum(revenue_total), 0) as revenue_total,
        coalesce(sum(tip), 0) as tips,
        count(distinct customer_key) filter (where status = 'completed') as clients_served,
        count(distinct customer_key) filter (where is_first_visit) as new_clients,
        count(*) filter (where is_rebooked) as visits_rebooked,
        avg(days_since_previous_visit) as avg_visit_interval_days
    from appointments
    group by shop_id, week_start
),

booking_metrics as (
    select shop_id, booked_week_start as week_start, count(*) as appointments_booked
    from appointments
    where has_booking_event
    group by shop_id, booked_week_start
),

capacity as (
    {{ staff_minutes_available(
        week_start('roster.day'), 'week_start', rebuild_weeks_before=1
    ) }}
),

retention as (
    -- new clients of the week and whether they came back within 90 days of their first visit
    select
        firsts.shop_id,
        firsts.week_start,
        count(*) as new_clients_cohort,
        count(*) filter (where exists (
            select 1 from {{ ref('fct_appointments') }} as later
            where later.customer_key = firsts.customer_key
                and later.status = 'completed'
                and later.service_date > firsts.service_date
                and later.service_date <= firsts.service_date + 90
        )) as new_clients_retained_90d
    from appointments as firsts
    where firsts.is_first_visit
    group by firsts.shop_id, firsts.week_start
),

joined as (
    select
        weeks.shop_id,
        weeks.week_start,
        coverage.as_of_date,
        {{ is_complete_week('weeks.week_start') }} as is_complete,
        coalesce(call_metrics.calls_total, 0) as calls_total,
        coalesce(call_metrics.calls_answered, 0) as calls_answered,
        coalesce(call_metrics.calls_missed, 0) as calls_missed,
        coalesce(call_metrics.calls_after_hours, 0) as calls_after_hours,
        call_metrics.avg_call_duration_sec,
        coalesce(call_metrics.calls_converted, 0) as calls_converted,
        coalesce(scheduled_metrics.appointments_scheduled, 0) as appointments_scheduled,
        coalesce(scheduled_metrics.appointments_completed, 0) as appointments_completed,
        coalesce(scheduled_metrics.appointments_no_show, 0) as appointments_no_show,
        coalesce(scheduled_metrics.appointments_cancelled, 0) as appointments_cancelled,
        coalesce(booking_metrics.appointments_booked, 0) as appointments_booked,
        coalesce(scheduled_metrics.occupied_minutes, 0) as occupied_minutes,
        coalesce(capacity.staff_minutes_available, 0) as staff_minutes_available,
        cast(coalesce(scheduled_metrics.revenue_service, 0) as decimal(14, 2)) as revenue_service,
        cast(coalesce(scheduled_metrics.revenue_product, 0) as decimal(14, 2)) as revenue_product,
        cast(coalesce(scheduled_metrics.revenue_total, 0) as decimal(14, 2)) as revenue_total,
        cast(coalesce(scheduled_metrics.tips, 0) as decimal(14, 2)) as tips,
        coalesce(scheduled_metrics.clients_served, 0) as clients_served,
        coalesce(scheduled_metrics.new_clients, 0) as new_clients,
        coalesce(scheduled_metrics.visits_rebooked, 0) as visits_rebooked,
        scheduled_metrics.avg_visit_interval_days,
        coalesce(retention.new_clients_retained_90d, 0) as new_clients_retained_90d
    from weeks
    inner join coverage using (shop_id)
    left join call_metrics using (shop_id, week_start)
    left join scheduled_metrics using (shop_id, week_start)
    left join booking_metrics using (shop_id, week_start)
    left join capacity using (shop_id, week_start)
    left join retention using (shop_id, week_start)
),

final as (
    select
        shop_id,
        week_start,
        is_complete,
        -- calls (by the call's start)
        calls_total,
        calls_answered,
        calls_missed,
        calls_after_hours,
        {{ weekly_metric('call_answer_rate') }} as call_answer_rate,
        avg_call_duration_sec,
        {{ weekly_metric('call_conversion_rate') }} as call_conversion_rate,
        -- appointments (by final scheduled start; booked by booking time)
        appointments_scheduled,
        appointments_completed,
        appointments_no_show,
        appointments_cancelled,
        appointments_booked,
        {{ weekly_metric('no_show_rate') }} as no_show_rate,
        {{ weekly_metric('cancellation_rate') }} as cancellation_rate,
        {{ weekly_metric('utilization') }} as utilization,
        -- money (by scheduled start of completed appointments; tips are never revenue)
        revenue_service,
        revenue_product,
        revenue_total,
        tips,
        {{ weekly_metric('avg_ticket') }} as avg_ticket,
        {{ weekly_metric('revenue_wow_growth') }} as revenue_wow_growth,
        -- clients
        clients_served,
        new_clients,
        clients_served - new_clients as returning_clients,
        {{ weekly_metric('rebooking_rate') }} as rebooking_rate,
        {{ weekly_metric('new_client_retention_90d') }} as new_client_retention_90d,
        avg_visit_interval_days,
        -- the parts of the rates, so any rate can be re-aggregated over months or shops
        calls_converted,
        visits_rebooked,
        new_clients_retained_90d,
        occupied_minutes,
        staff_minutes_available,
        as_of_date,
        now() as refreshed_at
    from joined
    window shop_weeks as (partition by shop_id order by week_start)
)

select final.*
from final
inner join rebuild using (shop_id)
where final.week_start >= rebuild.from_week
