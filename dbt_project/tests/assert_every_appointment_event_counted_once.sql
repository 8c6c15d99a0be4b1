-- Every appointment event of the raw stream known on the as-of date is counted in exactly one
-- appointment.
with events as (
    select appointment_id, count(*) as events
    from {{ known_as_of(ref('stg_kafka__appointment_events')) }}
    group by appointment_id
),

appointments as (
    select appointment_id, event_count from {{ ref('fct_appointments') }}
)

select *
from events
full outer join appointments using (appointment_id)
where events.events is distinct from appointments.event_count
