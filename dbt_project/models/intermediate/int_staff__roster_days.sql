-- Who was on each shop's roster on each day: the denominator of utilization (active staff x
-- opening hours). Days run from the roster's first start (or the first event) to today.
with roster as (
    select * from {{ ref('stg_inbox__staff') }}
),

bounds as (
    select
        shop_id,
        least(
            min(coalesce(start_date, date '9999-12-31')),
            (select cast(min(scheduled_start) as date) from {{ ref('int_appointments__lifecycle') }})
        ) as first_day,
        greatest(
            current_date,
            (select cast(max(scheduled_start) as date) from {{ ref('int_appointments__lifecycle') }})
        ) as last_day
    from roster
    group by shop_id
),

days as (
    select shop_id, cast(day as date) as day
    from bounds, unnest(generate_series(first_day, last_day, interval 1 day)) as t(day)
),

final as (
    select days.shop_id, days.day, roster.staff_id
    from days
    inner join roster
        on roster.shop_id = days.shop_id
        and coalesce(roster.start_date, date '1900-01-01') <= days.day
        and (roster.end_date is null or roster.end_date >= days.day)
)

select * from final
