{#- The first day of the pay period a date falls in (docs/metrics.md, "Pay and campaigns": two weeks
    by default, starting on a Monday). Periods are counted from the `pay_period_anchor` var, a
    Monday, in steps of `pay_period_days`, so every shop's periods line up with its ISO weeks
    and a period's revenue is the sum of whole weekly rows. -#}
{% macro pay_period_start(day) -%}
    {%- set anchor = "date '" ~ var('pay_period_anchor') ~ "'" -%}
    {%- set length = var('pay_period_days') | int -%}
    cast({{ dbt.dateadd(
        'day',
        'cast(floor(' ~ dbt.datediff(anchor, day, 'day') ~ ' / ' ~ length ~ '.0) as integer) * ' ~ length,
        anchor
    ) }} as date)
{%- endmacro %}
