-- Every lifecycle event of every appointment, typed. Fields a given event type does not carry
-- are NULL; the state machine in int_appointments__lifecycle decides what they add up to.
with source as (
    {{ events_since_last_build('appointments') }}
),

renamed as (
    select
        event_id,
        replace(event_type, 'appointment.', '') as event_kind,
        occurred_at,
        shop_id,
        data ->> '$.appointment_id' as appointment_id,
        data ->> '$.customer_id' as customer_id,
        data ->> '$.staff_id' as staff_id,
        data ->> '$.service_code' as service_code,
        cast(data ->> '$.scheduled_start' as timestamptz) as scheduled_start,
        cast(data ->> '$.duration_min' as integer) as duration_min,
        cast(data ->> '$.quoted_price' as decimal(10, 2)) as quoted_price,
        data ->> '$.channel' as channel,
        data ->> '$.call_id' as call_id,
        data ->> '$.cancelled_by' as cancelled_by,
        data ->> '$.reason' as cancel_reason,
        cast(data ->> '$.service_revenue' as decimal(10, 2)) as service_revenue,
        cast(data ->> '$.product_revenue' as decimal(10, 2)) as product_revenue,
        cast(data ->> '$.tip' as decimal(10, 2)) as tip,
        data ->> '$.payment_method' as payment_method,
        kafka_partition,
        kafka_offset,
        ingested_at
    from source
)

select * from renamed
