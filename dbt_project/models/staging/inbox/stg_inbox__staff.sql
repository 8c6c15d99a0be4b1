-- Roster rows by staff member and start date; a later-loaded roster overrides an earlier one
-- for the same member and start date (e.g. an end date added when someone leaves).
with source as (
    select * from {{ source('inbox', 'staff') }}
),

files as (
    select * from {{ ref('stg_inbox__files') }}
),

renamed as (
    select
        source.shop_id,
        source.staff_id,
        source.name as staff_name,
        source.role,
        source.commission_pct,
        source.start_date,
        source.end_date,
        files.loaded_at
    from source
    inner join files using (file_id)
),

final as (
    select *
    from renamed
    qualify row_number() over (
        partition by shop_id, staff_id, coalesce(start_date, date '1900-01-01')
        order by loaded_at desc
    ) = 1
)

select * from final
