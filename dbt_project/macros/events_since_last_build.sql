{#- The rows of a raw Kafka table a staging model has not staged yet: all of them on a full
    build, else those ingested since its last build (macros/incremental_watermark.sql). -#}
{% macro events_since_last_build(table) -%}
    select * from {{ source('kafka', table) }}
    {%- if is_incremental() %}
    where ingested_at > {{ incremental_watermark('ingested_at') }}
    {%- endif %}
{%- endmacro %}
