{#- Shop-local wall-clock time of an instant, and the ISO week (Monday) it belongs to:
    a business week is the ISO week in the shop's local time (docs/contracts.md). -#}
{% macro to_local(instant, time_zone) -%}
    {{ return(adapter.dispatch('to_local')(instant, time_zone)) }}
{%- endmacro %}

{% macro default__to_local(instant, time_zone) -%}
    timezone({{ time_zone }}, {{ instant }})
{%- endmacro %}

{#- Spark keeps instants as UTC timestamps (the session's zone is UTC); the wall-clock time is
    the same instant shifted by the zone's offset at that instant. -#}
{% macro spark__to_local(instant, time_zone) -%}
    from_utc_timestamp({{ instant }}, {{ time_zone }})
{%- endmacro %}

{% macro week_start(local_timestamp) -%}
    cast(date_trunc('week', {{ local_timestamp }}) as date)
{%- endmacro %}

{#- The type of an instant: DuckDB's `timestamptz`; Spark's `timestamp` is one already (UTC
    session). -#}
{% macro instant_type() -%}
    {{ return(adapter.dispatch('instant_type')()) }}
{%- endmacro %}

{% macro default__instant_type() -%}
    timestamptz
{%- endmacro %}

{% macro spark__instant_type() -%}
    timestamp
{%- endmacro %}

{#- The instant at which it was `local_timestamp` on the wall clocks of `time_zone`. -#}
{% macro from_local(local_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('from_local')(local_timestamp, time_zone)) }}
{%- endmacro %}

{% macro default__from_local(local_timestamp, time_zone) -%}
    timezone({{ time_zone }}, {{ local_timestamp }})
{%- endmacro %}

{% macro spark__from_local(local_timestamp, time_zone) -%}
    to_utc_timestamp({{ local_timestamp }}, {{ time_zone }})
{%- endmacro %}

{#- An instant as text, as DuckDB writes it in a UTC session (`2026-01-05 14:30:00+00`, fractions
    of a second only when there are some): ids hashed from it must not depend on the engine. -#}
{% macro instant_text(instant) -%}
    {{ return(adapter.dispatch('instant_text')(instant)) }}
{%- endmacro %}

{% macro default__instant_text(instant) -%}
    cast({{ instant }} as varchar)
{%- endmacro %}

{% macro spark__instant_text(instant) -%}
    concat(cast({{ instant }} as string), '+00')
{%- endmacro %}

{#- `count` minutes, as an interval to add to a timestamp. -#}
{% macro minutes(count) -%}
    {{ return(adapter.dispatch('minutes')(count)) }}
{%- endmacro %}

{% macro default__minutes(count) -%}
    to_minutes({{ count }})
{%- endmacro %}

{% macro spark__minutes(count) -%}
    make_dt_interval(0, 0, {{ count }})
{%- endmacro %}
