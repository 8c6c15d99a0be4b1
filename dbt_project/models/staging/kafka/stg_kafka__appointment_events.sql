-- Every lifecycle event of every appointment, typed. Fields a given event type does not carry
-- are NULL; the state machine in int_appointments__lifecycle decides what they add up to.
{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}
-- Events never change once stored, so each is typed once: a build stages only the events
-- ingested since the previous one (see macros/incremental_watermark.sql).
with source as (
    select * from {{ source('kafka', 'appointments') }}
    {% if is_incremental() %}
        where ingested_at > {{ incremental_watermark('ingested_at') }}
    {% endif %}
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
