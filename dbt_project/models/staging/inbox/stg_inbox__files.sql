-- Loaded file versions, newest first per file name. Staging models of list-like kinds keep only
-- rows of the newest version of each file: a re-exported log replaces its earlier export.
with source as (
    select * from {{ source('inbox_ops', 'inbox_files') }}
),

final as (
    select
        file_id,
        file_name,
        kind,
        version,
        loaded_at,
        row_number() over (partition by file_name order by version desc) = 1 as is_latest_version
    from source
    where status = 'loaded'
)

select * from final
