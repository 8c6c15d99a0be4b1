{#- `select * {{ exclude_columns(['a', 'b']) }}`: every column but these. DuckDB says
    `exclude`, Spark `except`. -#}
{% macro exclude_columns(columns) -%}
    {{ return(adapter.dispatch('exclude_columns')(columns)) }}
{%- endmacro %}

{% macro default__exclude_columns(columns) -%}
    exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__exclude_columns(columns) -%}
    except ({{ columns | join(', ') }})
{%- endmacro %}
