{#- The one clock of the dbt project (docs/metrics.md, "today"). The `as_of_date` var pins it;
    unset, "today" is the current date in each shop's own time zone. Every model that depends on
    how much time has passed (retention windows, days overdue, the price and roster in force,
    which weeks are complete) asks `as_of_date`; nothing else reads the wall clock for a date. -#}
{% macro as_of_date(time_zone) -%}
    {%- if var('as_of_date') -%}
        date '{{ var("as_of_date") }}'
    {%- else -%}
        cast({{ to_local(dbt.current_timestamp(), time_zone) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- `relation`, less what had not yet happened on a pinned as-of date: a pinned run knows what
    happened before that date began in the shop, as a run made first thing that morning would
    (an event of a shop not yet in the shops file is measured against midnight UTC). Unpinned,
    everything stored is known. `at` is the column that says when a row happened. -#}
{% macro known_as_of(relation, at='occurred_at') -%}
    {{ return(adapter.dispatch('known_as_of')(relation, at)) }}
{%- endmacro %}

{% macro default__known_as_of(relation, at) -%}
    {#- referenced outside the branch, so dbt sees the dependency when it parses unpinned -#}
    {%- set shops = ref('stg_inbox__shops') -%}
    {%- if var('as_of_date') -%}
    (
        select known.*
        from {{ relation }} as known
        where known.{{ at }} < coalesce(
            (
                select timezone(shops.time_zone, timestamp '{{ var("as_of_date") }} 00:00:00')
                from {{ shops }} as shops
                where shops.shop_id = known.shop_id
            ),
            timestamptz '{{ var("as_of_date") }} 00:00:00+00'
        )
    )
    {%- else -%}
    {{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- Spark wants a correlated scalar subquery aggregated: the shop's midnight comes from a join
    instead (a shop_id names one row of stg_inbox__shops). -#}
{% macro spark__known_as_of(relation, at) -%}
    {%- set shops = ref('stg_inbox__shops') -%}
    {%- if var('as_of_date') -%}
    (
        select known.*
        from {{ relation }} as known
        left join {{ shops }} as shops on shops.shop_id = known.shop_id
        where known.{{ at }} < coalesce(
            to_utc_timestamp(timestamp '{{ var("as_of_date") }} 00:00:00', shops.time_zone),
            timestamp '{{ var("as_of_date") }} 00:00:00'
        )
    )
    {%- else -%}
    {{ relation }}
    {%- endif -%}
{%- endmacro %}
