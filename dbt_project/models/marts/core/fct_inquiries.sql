-- One row per inquiry from every source (inbox front-desk logs, the CRM, the inquiries topic),
-- with the resolved person behind it; the same inquiry in the CRM and the topic is one row.
with inquiries as (
    select * from {{ ref('int_inquiries__unioned') }}
),

identity as (
    select source, source_id, customer_key from {{ ref('int_customers__identity_map') }}
),

final as (
    select
        md5(concat_ws('|', inquiries.source, inquiries.source_inquiry_id)) as inquiry_key,
        inquiries.source,
        inquiries.source_inquiry_id,
        inquiries.shop_id,
        identity.customer_key,
        inquiries.inquired_at,
        inquiries.inquired_at_local,
        {{ week_start('inquiries.inquired_at_local') }} as week_start,
        inquiries.customer_name,
        inquiries.phone_raw,
        inquiries.phone_e164,
        inquiries.email,
        inquiries.age,
        inquiries.gender,
        inquiries.message,
        inquiries.channel
    from inquiries
    left join identity
        on identity.source = concat(inquiries.source, '_inquiry')
        and identity.source_id = inquiries.source_inquiry_id
)

select * from final
