{#- Whether the business week starting `week_start` is complete (docs/metrics.md): it has ended
    by the shop's as-of date and the shop's data covers all of it. `coverage` names a row of
    int_shops__data_coverage for the same shop; a shop without one has no complete week. -#}
{% macro is_complete_week(week_start, coverage='coverage') -%}
    coalesce(
        {{ week_start }} >= {{ coverage }}.covered_from
            and {{ week_start }} + 6 <= {{ coverage }}.covered_through
            and {{ week_start }} + 7 <= {{ coverage }}.as_of_date,
        false
    )
{%- endmacro %}
