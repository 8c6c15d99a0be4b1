{#- `columns` of `relation` as they are, 0 where a left join found no row: a period without
    visits counts 0 of them, it is not unknown. -#}
{% macro zero_if_missing(relation, columns) -%}
    {%- for column in columns %}
        coalesce({{ relation }}.{{ column }}, 0) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
