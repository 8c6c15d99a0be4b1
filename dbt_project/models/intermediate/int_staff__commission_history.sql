-- Each staff member's commission % as validity windows, half-open [valid_from, valid_to): a
-- roster row applies from its Start Date until the member's next roster row starts or the day
-- after its End Date, whichever comes first. A row without a Start Date covers everything before
-- the next one. A row without a Commission % keeps its window with a NULL rate, so the visits it
-- covers are flagged as unpaid-for rather than paid at 0.
with roster as (
    select * from {{ ref('stg_inbox__staff') }}
),

windows as (
    select
        shop_id,
        staff_id,
        staff_name,
        commission_pct,
        coalesce(start_date, date '1900-01-01') as valid_from,
        least(
            coalesce(
                lead(coalesce(start_date, date '1900-01-01')) over (
                    partition by shop_id, staff_id
                    order by coalesce(start_date, date '1900-01-01')
                ),
                date '9999-12-31'
            ),
            coalesce({{ dbt.dateadd('day', 1, 'end_date') }}, date '9999-12-31')
        ) as valid_to
    from roster
),

final as (
    select
        shop_id,
        staff_id,
        staff_name,
        commission_pct,
        valid_from,
        cast(valid_to as date) as valid_to
    from windows
    where valid_to > valid_from
)

select * from final
