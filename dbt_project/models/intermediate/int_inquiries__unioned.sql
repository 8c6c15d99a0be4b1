-- Inquiries from every source on one timeline, before identity resolution. The front-desk form
-- writes an inquiry both to the CRM and to the topic under one `inquiry_id`: it counts once, as
-- the CRM's row (the CRM's rows were here first, so their keys in fct_inquiries stay put).
{#- the columns every source has under the same name; gender and channel follow per source -#}
{%- set common_columns -%}
        inquiry_id as source_inquiry_id,
        shop_id,
        inquired_at,
        customer_name,
        phone_raw,
        phone_e164,
        email,
        age,
{%- endset %}

with inbox as (
    select
        'inbox' as source,
        {{ common_columns }}
        gender,
        message,
        cast(null as string) as channel
    from {{ known_as_of(ref('stg_inbox__inquiries'), at='inquired_at') }}
),

cassandra as (
    select
        'cassandra' as source,
        {{ common_columns }}
        normalize_gender(gender) as gender,
        message,
        channel
    from {{ known_as_of(ref('stg_cassandra__inquiries'), at='inquired_at') }}
),

kafka as (
    -- a re-sent inquiry is one inquiry: its latest version
    select
        'kafka' as source,
        {{ common_columns }}
        normalize_gender(gender) as gender,
        message,
        channel
    from {{ known_as_of(ref('stg_kafka__inquiry_events'), at='inquired_at') }}
    where lower(inquiry_id) not in (
        select lower(cast(source_inquiry_id as string)) from cassandra
    )
    qualify row_number() over (
        partition by inquiry_id order by occurred_at desc, kafka_partition, kafka_offset desc
    ) = 1
),

shops as (
    select shop_id, time_zone from {{ ref('stg_inbox__shops') }}
),

unioned as (
    select * from inbox
    union all
    select * from cassandra
    union all
    select * from kafka
),

final as (
    select
        unioned.*,
        {{ to_local('unioned.inquired_at', 'shops.time_zone') }} as inquired_at_local
    from unioned
    inner join shops using (shop_id)
)

select * from final
