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
        {{ json_text('data', '$.appointment_id') }} as appointment_id,
        {{ json_text('data', '$.customer_id') }} as customer_id,
        {{ json_text('data', '$.staff_id') }} as staff_id,
        {{ json_text('data', '$.service_code') }} as service_code,
        cast({{ json_text('data', '$.scheduled_start') }} as {{ instant_type() }})
            as scheduled_start,
        cast({{ json_text('data', '$.duration_min') }} as integer) as duration_min,
        cast({{ json_text('data', '$.quoted_price') }} as decimal(10, 2)) as quoted_price,
        {{ json_text('data', '$.channel') }} as channel,
        {{ json_text('data', '$.call_id') }} as call_id,
        {{ json_text('data', '$.cancelled_by') }} as cancelled_by,
        {{ json_text('data', '$.reason') }} as cancel_reason,
        cast({{ json_text('data', '$.service_revenue') }} as decimal(10, 2)) as service_revenue,
        cast({{ json_text('data', '$.product_revenue') }} as decimal(10, 2)) as product_revenue,
        cast({{ json_text('data', '$.tip') }} as decimal(10, 2)) as tip,
        {{ json_text('data', '$.payment_method') }} as payment_method,
        kafka_partition,
        kafka_offset,
        ingested_at
    from source
)

select * from renamed
