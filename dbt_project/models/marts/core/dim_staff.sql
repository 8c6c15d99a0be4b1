-- One row per staff member: their latest roster entry, and whether they are on it on the as-of
-- date.
with roster as (
    select * from {{ ref('stg_inbox__staff') }}
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

latest as (
    select roster.*, {{ as_of_date('shops.time_zone') }} as today
    from roster
    inner join shops using (shop_id)
    qualify row_number() over (
        partition by roster.shop_id, roster.staff_id
        order by coalesce(roster.start_date, date '1900-01-01') desc
    ) = 1
),

final as (
    select
        md5(concat_ws('|', shop_id, staff_id)) as staff_key,
        shop_id,
        staff_id,
        staff_name,
        role,
        commission_pct,
        start_date,
        end_date,
        (start_date is null or start_date <= today) and (end_date is null or end_date >= today)
            as is_active
    from latest
)

select * from final
