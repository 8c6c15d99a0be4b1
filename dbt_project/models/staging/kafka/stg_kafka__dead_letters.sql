with source as (
    select * from {{ source('kafka', 'dead_letters') }}
),

renamed as (
    select
        kafka_topic,
        kafka_partition,
        kafka_offset,
        cast(message_key as varchar) as message_key,
        octet_length(raw_value) as raw_value_bytes,
        reason,
        dead_lettered_at
    from source
)

select * from renamed
