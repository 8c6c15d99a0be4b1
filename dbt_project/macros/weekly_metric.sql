{#- A weekly metric of the registry (the `weekly_metrics` var, dbt_project.yml) as a SQL
    expression over one shop-week row of fct_weekly_shop_metrics: a rate from its numerator and
    denominator columns (NULL on a zero denominator; NULL too until `known_after_days` have passed
    since the week's last day), a growth on the previous week of `window` (NULL unless both weeks
    are complete). The apps and insights read the same registry, so a definition changes in one
    place. -#}
{% macro weekly_metric(name, window='shop_weeks') -%}
    {%- set metric = var('weekly_metrics')[name] -%}
    {%- if metric.kind == 'rate' -%}
        {%- set value = safe_divide(metric.numerator, metric.denominator) -%}
        {%- if metric.unit == 'money' -%}
            {%- set value = 'cast(' ~ value ~ ' as decimal(14, 2))' -%}
        {%- endif -%}
        {%- if metric.known_after_days -%}
            case when week_start + 6 + {{ metric.known_after_days }} < as_of_date then {{ value }} end
        {%- else -%}
            {{ value }}
        {%- endif -%}
    {%- elif metric.kind == 'growth' -%}
        case
            when is_complete and lag(is_complete) over {{ window }}
                then {{ safe_divide(metric.of, 'lag(' ~ metric.of ~ ') over ' ~ window) }} - 1
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "weekly_metric: " ~ name ~ " is a " ~ metric.kind ~ ", computed by its model") }}
    {%- endif -%}
{%- endmacro %}
