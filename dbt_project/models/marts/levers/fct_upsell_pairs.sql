-- Revenue lever "upsell and cross-sell pairs", per shop: services one client tends to buy
-- together, over the year before the as-of date (half-open: [as_of - 365, as_of), shop-local
-- service dates, completed visits). For each pair A, B (A listed first, and the other way round):
--   lift = clients with both / (clients with A x clients with B / clients): how many times more
--          often they go together than by chance (1 = no more than chance);
--   effect range (a year, one purchase each): the clients who had A but never B, offered B at
--          its list price, buying it at a rate between B's base rate among all clients (the
--          offer adds nothing to chance) and B's rate among A's clients (they follow those who
--          already pair them); low and high are the smaller and larger of the two.
-- A shop with fewer than `min_clients` clients in the year, or a pair seen together fewer than
-- `min_together` times, is too small to read a pair from: `is_enough_data` is false and the
-- app says so instead of showing the lift.
{%- set min_clients = 100 %}
{%- set min_together = 10 %}
with shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

visits as (
    select distinct appointments.shop_id, appointments.customer_key, appointments.service_code
    from {{ ref('fct_appointments') }} as appointments
    inner join shops using (shop_id)
    where appointments.status = 'completed'
        and appointments.customer_key is not null
        and appointments.service_date
            >= cast({{ dbt.dateadd('day', -365, as_of_date('shops.time_zone')) }} as date)
        and appointments.service_date < {{ as_of_date('shops.time_zone') }}
),

clients as (
    select shop_id, count(distinct customer_key) as clients
    from visits
    group by shop_id
),

services as (
    select shop_id, service_code, count(*) as clients_with
    from visits
    group by shop_id, service_code
),

together as (
    select a.shop_id, a.service_code as service_a, b.service_code as service_b,
        count(*) as clients_with_both
    from visits as a
    inner join visits as b
        on b.shop_id = a.shop_id
        and b.customer_key = a.customer_key
        and b.service_code != a.service_code
    group by a.shop_id, a.service_code, b.service_code
),

prices as (
    select shop_id, service_code, service_name, price from {{ ref('dim_service') }}
),

final as (
    select
        together.shop_id,
        together.service_a,
        price_a.service_name as service_a_name,
        together.service_b,
        price_b.service_name as service_b_name,
        clients.clients,
        a.clients_with as clients_with_a,
        b.clients_with as clients_with_b,
        together.clients_with_both,
        cast({{ safe_divide('together.clients_with_both * clients.clients',
                            'a.clients_with * b.clients_with') }} as decimal(8, 4)) as lift,
        a.clients_with - together.clients_with_both as clients_with_a_not_b,
        price_b.price as price_b,
        cast(least(
            (a.clients_with - together.clients_with_both)
                * {{ safe_divide('b.clients_with', 'clients.clients') }} * price_b.price,
            (a.clients_with - together.clients_with_both)
                * {{ safe_divide('together.clients_with_both', 'a.clients_with') }} * price_b.price
        ) as decimal(14, 2)) as effect_low,
        cast(greatest(
            (a.clients_with - together.clients_with_both)
                * {{ safe_divide('b.clients_with', 'clients.clients') }} * price_b.price,
            (a.clients_with - together.clients_with_both)
                * {{ safe_divide('together.clients_with_both', 'a.clients_with') }} * price_b.price
        ) as decimal(14, 2)) as effect_high,
        clients.clients >= {{ min_clients }} and together.clients_with_both >= {{ min_together }}
            as is_enough_data,
        {{ as_of_date('shops.time_zone') }} as as_of_date
    from together
    inner join clients using (shop_id)
    inner join shops using (shop_id)
    inner join services as a
        on a.shop_id = together.shop_id and a.service_code = together.service_a
    inner join services as b
        on b.shop_id = together.shop_id and b.service_code = together.service_b
    left join prices as price_a
        on price_a.shop_id = together.shop_id and price_a.service_code = together.service_a
    left join prices as price_b
        on price_b.shop_id = together.shop_id and price_b.service_code = together.service_b
)

select * from final
