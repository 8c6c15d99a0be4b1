-- Price list history as validity windows: each price applies from its Effective From until the
-- next one for the same service (half-open, [valid_from, valid_to)). The first known price also
-- covers the time before it, so an appointment before the first price list still has a price.
with prices as (
    select * from {{ ref('stg_inbox__price_list') }}
),

final as (
    select
        shop_id,
        service_code,
        service_name,
        category,
        duration_min,
        price,
        effective_from,
        case
            when row_number() over w = 1 then date '1900-01-01' else effective_from
        end as valid_from,
        coalesce(lead(effective_from) over w, date '9999-12-31') as valid_to
    from prices
    window w as (partition by shop_id, service_code order by effective_from)
)

select * from final
