-- The appointment state machine. Events of one appointment are ordered by `occurred_at`, then by
-- Kafka offset (one appointment's events share a key, hence a partition, so offsets order them);
-- arrival order does not matter, so a `completed` delivered before its `booked` is no problem.
-- The final status is the status after the last status-changing event; the final scheduled
-- start and barber are the booking's, overridden by the latest reschedule that set them.
{{
    config(
        materialized=('incremental' if target.type == 'duckdb' else 'table'),
        unique_key='appointment_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}
-- Incrementally, only appointments with an event staged since the previous build are decided
-- again, each from all of its events, old ones included.
with events as (
    select
        *,
        row_number() over (
            partition by appointment_id order by occurred_at, kafka_partition, kafka_offset
        ) as event_sequence
    from {{ known_as_of(ref('stg_kafka__appointment_events')) }}
    {% if is_incremental() %}
        where appointment_id in (
            select appointment_id from {{ ref('stg_kafka__appointment_events') }}
            where ingested_at > {{ incremental_watermark('last_ingested_at') }}
        )
    {% endif %}
),

status_changes as (
    select
        appointment_id,
        case event_kind
            when 'booked' then 'booked'
            when 'rescheduled' then 'booked'
            when 'cancelled' then 'cancelled'
            when 'completed' then 'completed'
            when 'no_show' then 'no_show'
        end as status,
        event_sequence
    from events
),

final_status as (
    select appointment_id, status
    from status_changes
    qualify row_number() over (partition by appointment_id order by event_sequence desc) = 1
),

bookings as (
    select *
    from events
    where event_kind = 'booked'
    qualify row_number() over (partition by appointment_id order by event_sequence) = 1
),

latest_schedule as (
    select appointment_id, scheduled_start
    from events
    where event_kind in ('booked', 'rescheduled') and scheduled_start is not null
    qualify row_number() over (partition by appointment_id order by event_sequence desc) = 1
),

latest_staff as (
    select appointment_id, staff_id
    from events
    where event_kind in ('booked', 'rescheduled') and staff_id is not null
    qualify row_number() over (partition by appointment_id order by event_sequence desc) = 1
),

transitions as (
    select
        appointment_id,
        any_value(shop_id) as shop_id,
        count(*) as event_count,
        count(*) filter (where event_kind = 'rescheduled') as reschedule_count,
        max(occurred_at) filter (where event_kind = 'rescheduled') as last_rescheduled_at,
        max(occurred_at) filter (where event_kind = 'cancelled') as cancelled_at,
        max(occurred_at) filter (where event_kind = 'completed') as completed_at,
        max(occurred_at) filter (where event_kind = 'no_show') as no_show_at,
        min(scheduled_start) filter (where event_kind in ('booked', 'rescheduled'))
            as first_scheduled_start,
        max(ingested_at) as last_ingested_at
    from events
    group by appointment_id
),

cancellation as (
    select appointment_id, cancelled_by, cancel_reason
    from events
    where event_kind = 'cancelled'
    qualify row_number() over (partition by appointment_id order by event_sequence desc) = 1
),

checkout as (
    select appointment_id, service_revenue, product_revenue, tip, payment_method
    from events
    where event_kind = 'completed'
    qualify row_number() over (partition by appointment_id order by event_sequence desc) = 1
),

final as (
    select
        transitions.appointment_id,
        transitions.shop_id,
        bookings.customer_id,
        latest_staff.staff_id,
        bookings.service_code,
        final_status.status,
        latest_schedule.scheduled_start,
        bookings.duration_min,
        bookings.quoted_price,
        bookings.channel,
        bookings.call_id,
        bookings.occurred_at as booked_at,
        transitions.reschedule_count,
        transitions.last_rescheduled_at,
        transitions.cancelled_at,
        cancellation.cancelled_by,
        cancellation.cancel_reason,
        transitions.completed_at,
        transitions.no_show_at,
        checkout.service_revenue,
        checkout.product_revenue,
        checkout.tip,
        checkout.payment_method,
        transitions.first_scheduled_start,
        transitions.event_count,
        bookings.appointment_id is not null as has_booking_event,
        transitions.last_ingested_at
    from transitions
    inner join final_status using (appointment_id)
    left join bookings using (appointment_id)
    left join latest_schedule using (appointment_id)
    left join latest_staff using (appointment_id)
    left join cancellation using (appointment_id)
    left join checkout using (appointment_id)
)

select * from final
