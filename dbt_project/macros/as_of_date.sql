{#- The one clock of the dbt project (docs/metrics.md, "today"). The `as_of_date` var pins it;
    unset, "today" is the current date in each shop's own time zone. Every model that depends on
    how much time has passed (retention windows, days overdue, the price and roster in force,
    which weeks are complete) asks `as_of_date`; nothing else reads the wall clock for a date. -#}
{% macro as_of_date(time_zone) -%}
    {%- if var('as_of_date') -%}
        date '{{ var("as_of_date") }}'
    {%- else -%}
        cast(timezone({{ time_zone }}, now()) as date)
    {%- endif -%}
{%- endmacro %}

{#- `relation`, less what had not yet happened on a pinned as-of date: a pinned run knows what
    happened before that date began in the shop, as a run made first thing that morning would
    (an event of a shop not yet in the shops file is measured against midnight UTC). Unpinned,
    everything stored is known. `at` is the column that says when a row happened. -#}
{% macro known_as_of(relation, at='occurred_at') -%}
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
