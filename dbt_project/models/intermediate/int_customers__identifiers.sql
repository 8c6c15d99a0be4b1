-- The phones and emails each record was ever seen with: a person who changed address is still
-- matched by the old one.
with kafka as (
    select 'kafka' as source, customer_id as source_id, phone_e164, email
    from {{ known_as_of(ref('stg_kafka__customer_events')) }}
),

cassandra as (
    select 'cassandra' as source, concat(shop_id, '/', customer_id) as source_id, phone_e164, email
    from {{ ref('stg_cassandra__customers') }}
),

inbox_customers as (
    select 'inbox_customers' as source, inbox_customer_id as source_id, phone_e164, email
    from {{ ref('stg_inbox__customers') }}
),

inquiries as (
    select concat(source, '_inquiry') as source, source_inquiry_id as source_id, phone_e164, email
    from {{ ref('int_inquiries__unioned') }}
),

unioned as (
    select * from kafka
    union all select * from cassandra
    union all select * from inbox_customers
    union all select * from inquiries
),

final as (
    select distinct source, source_id, 'phone' as identifier_type, phone_e164 as identifier
    from unioned where phone_e164 is not null
    union
    select distinct source, source_id, 'email' as identifier_type, email as identifier
    from unioned where email is not null
)

select * from final
