-- Who was on each shop's roster on each day: the denominator of utilization (active staff x
-- opening hours). Days run over the weeks the shop's own data covers (int_shops__data_coverage),
-- from the Monday of its first day to the Sunday of its last, so neither a roster entry dated
-- years before the feed began nor a booking far in the future pads the calendar.
with roster as (
    select * from {{ ref('stg_inbox__staff') }}
),

coverage as (
    select * from {{ ref('int_shops__data_coverage') }}
),

days as (
    select coverage.shop_id, cast(day as date) as day
    from coverage,
        unnest(generate_series(
            {{ week_start('coverage.first_day') }},
            {{ week_start('coverage.last_day') }} + 6,
            interval 1 day
        )) as t(day)
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
