-- One row per resolved person: the same phone or email across sources is one customer.
-- Attributes come from the most recently updated record that has them; visit history from
-- fct_appointments. `days_overdue` follows docs/metrics.md (own mean interval, or the shop's median
-- interval for one-visit clients), as of today in the shop (or the `as_of_date` var).
with records as (
    select records.*, map.customer_key
    from {{ ref('int_customers__identity_records') }} as records
    inner join {{ ref('int_customers__identity_map') }} as map using (source, source_id)
),

identifiers as (
    select map.customer_key, identifiers.identifier_type, identifiers.identifier
    from {{ ref('int_customers__identifiers') }} as identifiers
    inner join {{ ref('int_customers__identity_map') }} as map using (source, source_id)
),

attributes as (
    select
        customer_key,
        arg_max(full_name, coalesce(updated_at, first_seen_at)) filter (where full_name != '')
            as full_name,
        arg_max(first_name, updated_at) filter (where first_name is not null) as first_name,
        arg_max(last_name, updated_at) filter (where last_name is not null) as last_name,
        arg_max(birth_year, coalesce(updated_at, first_seen_at))
            filter (where birth_year is not null) as birth_year,
        arg_max(gender, coalesce(updated_at, first_seen_at)) filter (where gender is not null)
            as gender,
        arg_max(marketing_opt_in, updated_at) filter (where marketing_opt_in is not null)
            as marketing_opt_in,
        arg_max(shop_id, coalesce(updated_at, first_seen_at)) as latest_record_shop_id,
        min(first_seen_at) as first_seen_at,
        list(distinct source order by source) as sources,
        count(*) as source_records
    from records
    group by customer_key
),

contact as (
    select
        customer_key,
        min(identifier) filter (where identifier_type = 'phone') as phone_e164,
        min(identifier) filter (where identifier_type = 'email') as email,
        count(distinct identifier) filter (where identifier_type = 'phone') as phone_count,
        count(distinct identifier) filter (where identifier_type = 'email') as email_count
    from identifiers
    group by customer_key
),

visits as (
    select
        customer_key,
        count(*) as visit_count,
        min(service_date) as first_booked_visit_date,
        max(service_date) as last_visit_date,
        sum(revenue_total) as lifetime_revenue,
        avg(days_since_previous_visit) as avg_visit_interval_days,
        mode(shop_id) as home_shop_id
    from {{ ref('fct_appointments') }}
    where status = 'completed' and customer_key is not null
    group by customer_key
),

first_visits as (
    select customer_key, min(service_date) as first_visit_date
    from {{ ref('fct_appointments') }}
    where is_first_visit
    group by customer_key
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

shop_intervals as (
    select shop_id, median(days_since_previous_visit) as median_interval_days
    from {{ ref('fct_appointments') }}
    where days_since_previous_visit is not null
    group by shop_id
),

joined as (
    select
        attributes.customer_key,
        attributes.full_name,
        attributes.first_name,
        attributes.last_name,
        contact.phone_e164,
        contact.email,
        contact.phone_count,
        contact.email_count,
        attributes.birth_year,
        attributes.gender,
        coalesce(attributes.marketing_opt_in, false) as marketing_opt_in,
        coalesce(visits.home_shop_id, attributes.latest_record_shop_id) as home_shop_id,
        attributes.first_seen_at,
        attributes.sources,
        attributes.source_records,
        coalesce(visits.visit_count, 0) as visit_count,
        coalesce(first_visits.first_visit_date, visits.first_booked_visit_date) as first_visit_date,
        visits.last_visit_date,
        coalesce(visits.lifetime_revenue, 0) as lifetime_revenue,
        visits.avg_visit_interval_days,
        shop_intervals.median_interval_days,
        {{ as_of_date('shops.time_zone') }} as as_of_date
    from attributes
    left join contact using (customer_key)
    left join visits using (customer_key)
    left join first_visits using (customer_key)
    left join shops
        on shops.shop_id = coalesce(visits.home_shop_id, attributes.latest_record_shop_id)
    left join shop_intervals on shop_intervals.shop_id = shops.shop_id
),

final as (
    select
        * exclude (median_interval_days, as_of_date),
        visit_count > 0 as is_client,
        case
            when birth_year is null then null
            when year(as_of_date) - birth_year < 25 then 'under 25'
            when year(as_of_date) - birth_year < 35 then '25-34'
            when year(as_of_date) - birth_year < 45 then '35-44'
            when year(as_of_date) - birth_year < 55 then '45-54'
            when year(as_of_date) - birth_year < 65 then '55-64'
            else '65+'
        end as age_band,
        datediff('day', last_visit_date, as_of_date) as days_since_last_visit,
        datediff('day', last_visit_date, as_of_date)
            - coalesce(avg_visit_interval_days, median_interval_days) as days_overdue
    from joined
)

select * from final
