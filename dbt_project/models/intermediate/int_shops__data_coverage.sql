-- Per shop, the days its event data covers (shop-local), and its as-of date. A business week is
-- complete (docs/metrics.md) when it has ended by the as-of date and lies inside this span: the
-- week a shop's feed began in, the week in progress and any week after the feed stopped are not,
-- so no trend, growth rate or forecast reads a partial week as a collapse. Spines of the weekly
-- marts and the roster run over this span, never a global minimum or maximum.
--
-- The span is the first to the last day with an event, widened over the closed days next to it:
-- a shop shut on Sundays whose last event came on Saturday has covered its week, since nothing
-- was there to record on the Sunday.
with shops as (
    select shop_id, time_zone from {{ ref('stg_inbox__shops') }}
),

calendar as (
    select shop_id, iso_dow from {{ ref('int_shops__calendar') }}
),

events as (
    select shop_id, occurred_at from {{ known_as_of(ref('stg_kafka__appointment_events')) }}
    union all
    select shop_id, occurred_at from {{ known_as_of(ref('stg_kafka__call_events')) }}
),

event_days as (
    select
        shops.shop_id,
        cast(min({{ to_local('events.occurred_at', 'shops.time_zone') }}) as date) as first_day,
        cast(max({{ to_local('events.occurred_at', 'shops.time_zone') }}) as date) as last_day,
        {{ as_of_date('shops.time_zone') }} as as_of_date
    from events
    inner join shops using (shop_id)
    group by shops.shop_id, shops.time_zone
),

open_days_around as (
    -- the nearest open day within a week before the first event day and after the last one
    select
        event_days.shop_id,
        max(event_days.first_day - t.days) filter (
            where calendar.iso_dow = isodow(event_days.first_day - t.days)
        ) as open_before,
        min(event_days.last_day + t.days) filter (
            where calendar.iso_dow = isodow(event_days.last_day + t.days)
        ) as open_after
    from event_days
    cross join (select cast(range as integer) as days from range(1, 8)) as t
    inner join calendar on calendar.shop_id = event_days.shop_id
    group by event_days.shop_id
),

final as (
    select
        event_days.shop_id,
        event_days.first_day,
        event_days.last_day,
        coalesce(open_days_around.open_before + 1, event_days.first_day) as covered_from,
        coalesce(open_days_around.open_after - 1, event_days.last_day) as covered_through,
        event_days.as_of_date
    from event_days
    left join open_days_around using (shop_id)
)

select * from final
