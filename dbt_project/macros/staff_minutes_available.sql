{#- Staff minutes available (docs/metrics.md, utilization's denominator): each rostered staff day
    times the shop's opening minutes that weekday, per shop and `period`, a SQL expression on
    `roster.day` named `period_name`. A weekly mart passes `rebuild_weeks_before` to read only
    the days of its weeks to rebuild (its CTE `rebuild`), and that many weeks before them. -#}
{% macro staff_minutes_available(period, period_name, rebuild_weeks_before=none) -%}
    select
        roster.shop_id,
        {{ period }} as {{ period_name }},
        sum(calendar.open_minutes) as staff_minutes_available
    from {{ ref('int_staff__roster_days') }} as roster
    inner join {{ ref('int_shops__calendar') }} as calendar
        on calendar.shop_id = roster.shop_id and calendar.iso_dow = isodow(roster.day)
    {%- if rebuild_weeks_before is not none %}
    inner join rebuild
        on rebuild.shop_id = roster.shop_id
        and roster.day >= rebuild.from_week - {{ 7 * rebuild_weeks_before }}
    {%- endif %}
    group by all
{%- endmacro %}
