-- Valid events and CRM rows the marts cannot place yet, one row each, with why
-- (docs/contracts.md: one record never stops the warehouse). An event or a CRM row is held while
-- its shop is in no shops file, and a lifecycle event while its appointment has no `booked`
-- event. CRM rows have no event id: theirs is the row's key in its raw table. The CRM's rows are
-- read raw: this view is read by the apps, whose connections lack the staging views' phone and
-- email functions. Nothing here is dropped: the marts leave these events out, the data-health
-- app shows them, the reconciling tests count them as accounted for, and once the shop or the
-- booking arrives they stop being held and fct_appointments / fct_calls take them on their next
-- build (their affected sets include the appointments with a new event and every event of a
-- shop loaded since).
with shops as (
    select shop_id from {{ ref('stg_inbox__shops') }}
),

appointment_events as (
    select
        event_id,
        shop_id,
        appointment_id,
        ingested_at,
        count(*) filter (where event_kind = 'booked') over (partition by appointment_id)
            as bookings
    from {{ known_as_of(ref('stg_kafka__appointment_events')) }}
),

appointments as (
    select
        'appointments' as source,
        event_id,
        shop_id,
        appointment_id as entity_id,
        case
            when shop_id not in (select shop_id from shops)
                then concat('shop ', shop_id, ' is in no shops file')
            else concat('appointment ', appointment_id, ' has no booked event yet')
        end as reason,
        ingested_at as first_seen
    from appointment_events
    where shop_id not in (select shop_id from shops) or bookings = 0
)

{#- Rows held only because their shop is in no shops file, per source: where they are read,
    their event id, the id of what they describe, and when they were first seen. Customers are
    also left out of identity resolution (int_customers__identity_records) meanwhile. -#}
{%- set held_for_their_shop = [
    ('calls', known_as_of(ref('stg_kafka__call_events')),
        'event_id', 'call_id', 'ingested_at'),
    ('inquiries', known_as_of(ref('stg_kafka__inquiry_events'), at='inquired_at'),
        'event_id', 'inquiry_id', 'ingested_at'),
    ('customers', known_as_of(ref('stg_kafka__customer_events')),
        'event_id', 'customer_id', 'ingested_at'),
    ('cassandra_customers', source('cassandra', 'customers'),
        "concat(shop_id, '/', customer_id)", 'customer_id', 'loaded_at'),
    ('cassandra_inquiries', known_as_of(source('cassandra', 'inquiries_by_day'), at='created_at'),
        'cast(inquiry_id as varchar)', 'cast(inquiry_id as varchar)', 'loaded_at'),
] %}

select * from appointments
{%- for source_name, relation, event_id, entity_id, first_seen in held_for_their_shop %}
union all
select
    '{{ source_name }}' as source,
    {{ event_id }} as event_id,
    shop_id,
    {{ entity_id }} as entity_id,
    concat('shop ', shop_id, ' is in no shops file') as reason,
    {{ first_seen }} as first_seen
from {{ relation }}
where shop_id not in (select shop_id from shops)
{%- endfor %}
