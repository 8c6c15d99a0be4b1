{#- On Spark the sources are the Parquet lake (chairside/lake.py writes it): each source table
    is a view over `<lake>/<schema>/<table>`, partitioned by `shop_id` and `lake_date`, which
    Spark discovers from the directory names at every read, so newly landed partitions need no
    repair. `lake_date` exists for pruning and is not a column of the source. DuckDB reads its
    own raw tables and registers nothing. A source missing from the lake fails the build. -#}
{% macro register_lake() %}
    {{ return(adapter.dispatch('register_lake')()) }}
{% endmacro %}

{% macro default__register_lake() %}
{% endmacro %}

{#- Spark runs one statement at a time. -#}
{% macro spark__register_lake() %}
    {%- set lake = env_var('CHAIRSIDE_LAKE_DIR', '../data/lake') -%}
    {%- for source in (graph.sources.values() if execute else []) | sort(attribute='unique_id') %}
        {%- do run_query('create schema if not exists ' ~ source.schema) -%}
        {%- do run_query(
            'create or replace view ' ~ source.schema ~ '.' ~ source.identifier
            ~ ' as select * except (lake_date) from parquet.`'
            ~ lake ~ '/' ~ source.schema ~ '/' ~ source.identifier ~ '`'
        ) -%}
    {%- endfor %}
{% endmacro %}
