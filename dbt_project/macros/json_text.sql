{#- A field of a JSON document as text (NULL when absent), e.g. `json_text('data', '$.phone')`:
    DuckDB's `->>` operator, Spark's get_json_object. -#}
{% macro json_text(document, path) -%}
    {{ return(adapter.dispatch('json_text')(document, path)) }}
{%- endmacro %}

{% macro default__json_text(document, path) -%}
    {{ document }} ->> '{{ path }}'
{%- endmacro %}

{% macro spark__json_text(document, path) -%}
    get_json_object({{ document }}, '{{ path }}')
{%- endmacro %}
