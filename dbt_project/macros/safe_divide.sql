{#- docs/metrics.md: a rate whose denominator is 0 is NULL, not 0. -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}
