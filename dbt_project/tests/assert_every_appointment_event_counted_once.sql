-- Every appointment event of the raw stream known on the as-of date is counted in exactly one
-- appointment, or held (int_events__held: its shop is in no shops file, or its booking has not
-- arrived) and in none. A held event is accounted for, not lost.
with events as (
    select appointment_id, count(*) as events
    from {{ known_as_of(ref('stg_kafka__appointment_events')) }}
    where event_id not in (
        select event_id from {{ ref('int_events__held') }} where source = 'appointments'
    )
    group by appointment_id
),

appointments as (
    select appointment_id, event_count from {{ ref('fct_appointments') }}
)

select *
from events
full outer join appointments using (appointment_id)
where events.events is distinct from appointments.event_count
