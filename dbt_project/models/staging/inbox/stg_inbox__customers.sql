with source as (
    select * from {{ source('inbox', 'customers') }}
),

files as (
    select * from {{ ref('stg_inbox__files') }} where is_latest_version
),

final as (
    select
        md5(concat_ws('|', files.file_name, source.sheet, source.row_number)) as inbox_customer_id,
        source.shop_id,
        source.name as customer_name,
        source.phone_raw,
        source.phone_e164,
        source.email,
        source.age,
        source.gender,
        source.customer_since,
        files.file_name,
        files.loaded_at,
        source.sheet,
        source.row_number
    from source
    inner join files using (file_id)
)

select * from final
