-- Every price list version keeps its history by Effective From. Where two files set a price for
-- the same service from the same date, the later-loaded one wins. A file without Effective From
-- takes effect on the day it was loaded.
with source as (
    select * from {{ source('inbox', 'price_list') }}
),

files as (
    select * from {{ ref('stg_inbox__files') }}
),

renamed as (
    select
        source.shop_id,
        source.service_code,
        source.service_name,
        source.category,
        source.duration_min,
        source.price,
        coalesce(source.effective_from, cast(files.loaded_at as date)) as effective_from,
        files.file_name,
        files.loaded_at
    from source
    inner join files using (file_id)
),

final as (
    select *
    from renamed
    qualify row_number() over (
        partition by shop_id, service_code, effective_from order by loaded_at desc
    ) = 1
)

select * from final
