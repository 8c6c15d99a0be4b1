{#- Shop-local wall-clock time of an instant, and the ISO week (Monday) it belongs to:
    a business week is the ISO week in the shop's local time (docs/contracts.md). -#}
{% macro to_local(instant, time_zone) -%}
    timezone({{ time_zone }}, {{ instant }})
{%- endmacro %}

{% macro week_start(local_timestamp) -%}
    cast(date_trunc('week', {{ local_timestamp }}) as date)
{%- endmacro %}
