-- Front-desk log rows from the newest version of each log file. Times without an offset are the
-- shop's wall clock (docs/contracts.md), so they are placed on the timeline with the shop's zone.
-- The id hashes what the inquiry is, not where it sat, so a re-export that shifts rows keeps ids.
with source as (
    select * from {{ source('inbox', 'inquiries') }}
),

files as (
    select * from {{ ref('stg_inbox__files') }} where is_latest_version
),

shops as (
    select shop_id, time_zone from {{ ref('stg_inbox__shops') }}
),

renamed as (
    select
        source.shop_id,
        case
            when source.inquired_at_offset_min is null
                then {{ from_local('source.inquired_at', 'shops.time_zone') }}
            else {{ from_local(
                'source.inquired_at - ' ~ minutes('source.inquired_at_offset_min'), "'UTC'"
            ) }}
        end as inquired_at,
        source.name as customer_name,
        source.phone_raw,
        source.phone_e164,
        source.email,
        source.age,
        source.gender,
        source.message,
        files.file_name,
        source.sheet,
        source.row_number
    from source
    inner join files using (file_id)
    inner join shops using (shop_id)
),

final as (
    select
        md5(concat_ws('|', shop_id, {{ instant_text('inquired_at') }}, phone_e164, message))
            as inquiry_id,
        *
    from renamed
    qualify row_number() over (partition by inquiry_id order by file_name, sheet, row_number) = 1
)

select * from final
