-- Every record that describes a person, from every source, one row per (source, source_id),
-- with its best attributes (latest version) and when the source first saw it. A customer of a
-- shop in no shops file is held (int_events__held) and joins here once the shop is loaded.
with shops as (
    select shop_id from {{ ref('stg_inbox__shops') }}
),

kafka_versions as (
    select
        *,
        row_number() over (partition by customer_id order by occurred_at desc, kafka_offset desc)
            as recency
    from {{ known_as_of(ref('stg_kafka__customer_events')) }}
    where shop_id in (select shop_id from shops)
),

kafka as (
    select
        'kafka' as source,
        customer_id as source_id,
        shop_id,
        concat_ws(' ', first_name, last_name) as full_name,
        first_name,
        last_name,
        birth_year,
        normalize_gender(gender) as gender,
        marketing_opt_in,
        min(occurred_at) over (partition by customer_id) as first_seen_at,
        occurred_at as updated_at,
        recency
    from kafka_versions
),

cassandra as (
    select
        'cassandra' as source,
        concat(shop_id, '/', customer_id) as source_id,
        shop_id,
        concat_ws(' ', first_name, last_name) as full_name,
        first_name,
        last_name,
        birth_year,
        normalize_gender(gender) as gender,
        marketing_opt_in,
        created_at as first_seen_at,
        updated_at,
        1 as recency
    from {{ ref('stg_cassandra__customers') }}
    where shop_id in (select shop_id from shops)
),

inbox_customers as (
    select
        'inbox_customers' as source,
        inbox_customer_id as source_id,
        shop_id,
        customer_name as full_name,
        cast(null as string) as first_name,
        cast(null as string) as last_name,
        cast(null as integer) as birth_year,
        gender,
        cast(null as boolean) as marketing_opt_in,
        cast(customer_since as {{ instant_type() }}) as first_seen_at,
        cast(null as {{ instant_type() }}) as updated_at,
        1 as recency
    from {{ ref('stg_inbox__customers') }}
),

inquiries as (
    select
        concat(source, '_inquiry') as source,
        source_inquiry_id as source_id,
        shop_id,
        customer_name as full_name,
        cast(null as string) as first_name,
        cast(null as string) as last_name,
        cast(year(inquired_at_local) - age as integer) as birth_year,
        normalize_gender(gender) as gender,
        cast(null as boolean) as marketing_opt_in,
        inquired_at as first_seen_at,
        inquired_at as updated_at,
        1 as recency
    from {{ ref('int_inquiries__unioned') }}
),

unioned as (
    select * {{ exclude_columns(['recency']) }} from kafka where recency = 1
    union all
    select * {{ exclude_columns(['recency']) }} from cassandra
    union all
    select * {{ exclude_columns(['recency']) }} from inbox_customers
    union all
    select * {{ exclude_columns(['recency']) }} from inquiries
)

select * from unioned
