{#- Per shop, the first business week (Monday, shop-local) an incremental weekly mart must
    recompute; it then recomputes that week and every later one. A shop missing here has no
    week that can have changed since the mart's last build (its `refreshed_at`):
      * an appointment that changed moves every week it was ever in, and the 90-day return of
        the first visits up to 14 weeks before that (a visit decides whether they came back);
      * a call that changed moves its week;
      * a shop whose settings, roster or price list were loaded since moves from its start;
      * time passing moves the weeks whose 90 days ran out, completes the week that was in
        progress, and adds new weeks: all lie within the 14 weeks before the earliest of the
        last build's day, its as-of date and this build's as-of date.
    The mart must carry `refreshed_at` (when a build computed the row) and `as_of_date`.
    A full build computes every week of every shop. -#}
{% macro weeks_to_rebuild() -%}
    {#- called outside the branch, so dbt sees every input when it parses the model -#}
    {%- set inputs = [
        ref('fct_appointments'), ref('fct_calls'), ref('dim_shop'),
        ref('stg_inbox__shops'), ref('stg_inbox__staff'), ref('stg_inbox__price_list'),
    ] -%}
    {%- if not is_incremental() -%}
        select shop_id, date '0001-01-01' as from_week from {{ ref('dim_shop') }}
    {%- else -%}
    {%- set since = incremental_watermark('refreshed_at', lookback='0 seconds') -%}
    select shop_id, min(from_week) as from_week
    from (
        select shop_id, earliest_week_start - 98 as from_week
        from {{ ref('fct_appointments') }}
        where changed_at > {{ since }}
        union all
        select shop_id, week_start
        from {{ ref('fct_calls') }}
        where changed_at > {{ since }}
        {%- for settings in ['stg_inbox__shops', 'stg_inbox__staff', 'stg_inbox__price_list'] %}
        union all
        select shop_id, date '0001-01-01'
        from {{ ref(settings) }}
        where loaded_at > {{ since }}
        {%- endfor %}
        union all
        select
            shops.shop_id,
            cast(date_trunc('week', least(
                cast(timezone(shops.time_zone, built.refreshed_at) as date),
                built.as_of_date,
                {{ as_of_date('shops.time_zone') }}
            ) - 98) as date)
        from {{ ref('dim_shop') }} as shops
        inner join (
            select shop_id, max(refreshed_at) as refreshed_at, max(as_of_date) as as_of_date
            from {{ this }}
            group by shop_id
        ) as built using (shop_id)
    )
    group by shop_id
    {%- endif -%}
{%- endmacro %}

{#- The rows of `relation` (read as `alias`) that fall in the weeks a weekly mart recomputes:
    its CTE `rebuild` (weeks_to_rebuild() above) gives each shop's first such week, and
    `weeks_before` widens it for a metric that compares with earlier weeks. `week` dates a row
    (default: its `week_start`). -#}
{% macro rows_in_weeks_to_rebuild(relation, alias, week=none, weeks_before=0) -%}
    select {{ alias }}.*
    from {{ relation }} as {{ alias }}
    inner join rebuild
        on rebuild.shop_id = {{ alias }}.shop_id
        and {{ week or alias ~ '.week_start' }} >= rebuild.from_week
        {%- if weeks_before %} - {{ 7 * weeks_before }}{% endif %}
{%- endmacro %}
