{#- The instant an incremental model's previous build had seen up to, less a safety margin:
    rows that arrived after it are new to the model. `column` is the model's own record of
    when its input arrived (an `ingested_at`, a `last_ingested_at`); the margin (the var
    `incremental_lookback`) re-reads the last stretch, so a clock that stepped back or a load
    that committed late is picked up rather than lost. Re-reading is harmless: incremental
    models replace rows by key (delete+insert), they never add them twice.
    Marts built on marts watch times dbt itself stamps in dependency order (`changed_at`,
    `refreshed_at`) and pass lookback='0 seconds': there a margin would re-read the whole
    previous build, which stamped its rows seconds apart. -#}
{% macro incremental_watermark(column, lookback=var('incremental_lookback')) -%}
    (
        select coalesce(
            max({{ column }}) - interval '{{ lookback }}',
            '-infinity'::timestamptz
        )
        from {{ this }}
    )
{%- endmacro %}
