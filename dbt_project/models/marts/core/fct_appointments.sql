-- One row per appointment: its current status, the time of each transition, the money of its
-- checkout, and what the visit means for the client (their n-th visit, their first ever, whether
-- they left with the next appointment booked). Dated by the final scheduled start, shop-local.
--
-- Incremental: a build recomputes only the appointments whose row can have changed, and all of
-- them whole, so the client-level columns come out as a full build would make them:
--   * appointments with new lifecycle events;
--   * every appointment of a client touched by those events (a visit renumbers the client's
--     visits, a booking makes the previous visit rebooked);
--   * every appointment of a client whose records were joined or split since (identity
--     resolution moved a customer_id to another customer_key): the old and the new client;
--   * every appointment of a shop whose settings (time zone) were loaded since, and all of them
--     when a legacy customer list arrived (it can move anyone's first visit).
-- Held appointments (no booking yet, or a shop in no shops file: int_events__held) stay out
-- until the booking or the shop arrives; both are in the list above.
-- depends_on: {{ ref('stg_inbox__shops') }}
{{
    config(
        materialized=('incremental' if target.type == 'duckdb' else 'table'),
        unique_key='appointment_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}
with identity as (
    select source_id as customer_id, customer_key
    from {{ ref('int_customers__identity_map') }}
    where source = 'kafka'
),

legacy_first_visits as (
    -- A client on a legacy customer list was a client before the booking system knew them.
    select map.customer_key, min(customers.customer_since) as customer_since
    from {{ ref('stg_inbox__customers') }} as customers
    inner join {{ ref('int_customers__identity_map') }} as map
        on map.source = 'inbox_customers' and map.source_id = customers.inbox_customer_id
    where customers.customer_since is not null
    group by map.customer_key
),

{% if is_incremental() %}
since as (
    select {{ incremental_watermark('last_ingested_at') }} as instant
),

changed as (
    select appointment_id, customer_id
    from {{ ref('int_appointments__lifecycle') }}
    where last_ingested_at > (select instant from since)
),

rekeyed as (
    select built.customer_key as old_key, identity.customer_key as new_key
    from (select distinct customer_id, customer_key from {{ this }}) as built
    left join identity using (customer_id)
    where built.customer_key is distinct from identity.customer_key
),

affected_clients as (
    select identity.customer_key
    from changed
    inner join identity using (customer_id)
    union
    select old_key from rekeyed where old_key is not null
    union
    select new_key from rekeyed where new_key is not null
),

reloaded_shops as (
    -- files load apart from events: compared with when this model last changed a row
    select shop_id
    from {{ ref('stg_inbox__shops') }}
    where loaded_at > {{ incremental_watermark('changed_at') }}
        or exists (
            select 1 from {{ ref('stg_inbox__customers') }}
            where loaded_at > {{ incremental_watermark('changed_at') }}
        )
),
{% endif %}

lifecycle as (
    -- an appointment whose booking has not arrived is held (int_events__held), and so is one of
    -- a shop no shops file names (the join to dim_shop below): the booking is a new event and the
    -- shop a reloaded shop, so either brings the appointment in here by itself
    select *
    from {{ ref('int_appointments__lifecycle') }}
    where has_booking_event
    {% if is_incremental() %}
        and (
            appointment_id in (select appointment_id from changed)
            or customer_id in (
                select customer_id from identity
                where customer_key in (select customer_key from affected_clients)
            )
            or appointment_id in (
                select appointment_id from {{ this }}
                where customer_key in (select customer_key from affected_clients)
            )
            or shop_id in (select shop_id from reloaded_shops)
        )
    {% endif %}
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

localized as (
    select
        lifecycle.*,
        identity.customer_key,
        shops.time_zone,
        {{ to_local('lifecycle.scheduled_start', 'shops.time_zone') }} as scheduled_start_local,
        {{ to_local('lifecycle.booked_at', 'shops.time_zone') }} as booked_at_local
    from lifecycle
    inner join shops using (shop_id)
    left join identity using (customer_id)
),

dated as (
    select
        *,
        cast(scheduled_start_local as date) as service_date,
        {{ week_start('scheduled_start_local') }} as week_start,
        {{ week_start('booked_at_local') }} as booked_week_start,
        -- the instant the visit day ends in the shop, for "booked by the end of the visit day"
        timezone(time_zone, cast(cast(scheduled_start_local as date) + 1 as timestamp))
            as service_day_end
    from localized
),

visits as (
    select
        appointment_id,
        customer_key,
        scheduled_start,
        service_date,
        service_day_end,
        row_number() over (partition by customer_key order by scheduled_start, appointment_id)
            as visit_number,
        lag(service_date) over (partition by customer_key order by scheduled_start, appointment_id)
            as previous_visit_date
    from dated
    where status = 'completed' and customer_key is not null
),

rebooked as (
    select distinct visits.appointment_id
    from visits
    inner join dated as later
        on later.customer_key = visits.customer_key
        and later.appointment_id != visits.appointment_id
        and later.scheduled_start > visits.scheduled_start
        and later.booked_at < visits.service_day_end
        and (later.cancelled_at is null or later.cancelled_at >= visits.service_day_end)
),

final as (
    select
        dated.appointment_id,
        dated.shop_id,
        dated.customer_key,
        dated.customer_id,
        dated.staff_id,
        dated.service_code,
        dated.status,
        dated.scheduled_start,
        dated.scheduled_start_local,
        dated.service_date,
        dated.week_start,
        dated.duration_min,
        dated.quoted_price,
        dated.channel,
        dated.call_id,
        dated.booked_at,
        dated.booked_at_local,
        dated.booked_week_start,
        dated.reschedule_count,
        dated.last_rescheduled_at,
        dated.cancelled_at,
        dated.cancelled_by,
        dated.cancel_reason,
        dated.completed_at,
        dated.no_show_at,
        case when dated.status = 'completed' then coalesce(dated.service_revenue, 0) end
            as revenue_service,
        case when dated.status = 'completed' then coalesce(dated.product_revenue, 0) end
            as revenue_product,
        case when dated.status = 'completed'
            then coalesce(dated.service_revenue, 0) + coalesce(dated.product_revenue, 0)
        end as revenue_total,
        case when dated.status = 'completed' then coalesce(dated.tip, 0) end as tip,
        dated.payment_method,
        visits.visit_number,
        visits.previous_visit_date,
        datediff('day', visits.previous_visit_date, visits.service_date)
            as days_since_previous_visit,
        coalesce(
            visits.visit_number = 1
            and (legacy.customer_since is null or legacy.customer_since >= dated.service_date),
            false
        ) as is_first_visit,
        case when dated.status = 'completed' then rebooked.appointment_id is not null end
            as is_rebooked,
        dated.event_count,
        dated.has_booking_event,
        -- every week the appointment was ever in: weekly marts recompute from here when it changes
        least(
            dated.week_start,
            dated.booked_week_start,
            {{ week_start(to_local('dated.first_scheduled_start', 'dated.time_zone')) }}
        ) as earliest_week_start,
        dated.last_ingested_at
    from dated
    left join visits using (appointment_id)
    left join legacy_first_visits as legacy on legacy.customer_key = dated.customer_key
    left join rebooked using (appointment_id)
)

{{ track_changes('final', 'appointment_id') }}
