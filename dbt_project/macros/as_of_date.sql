{#- "Today" for metrics that depend on how much time has passed (retention windows, days
    overdue): the shop-local date now, or the `as_of_date` var when a run pins it. -#}
{% macro as_of_date(time_zone) -%}
    {%- if var('as_of_date') -%}
        date '{{ var("as_of_date") }}'
    {%- else -%}
        cast(timezone({{ time_zone }}, now()) as date)
    {%- endif -%}
{%- endmacro %}
