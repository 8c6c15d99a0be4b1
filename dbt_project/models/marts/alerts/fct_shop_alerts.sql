-- Alerts (docs/metrics.md, "Alerts"): a shop's health score, or one of its scorecard principles,
-- falling below its target. One row per crossing: the first complete month below target after a
-- scored month on target. A metric that stays below raises nothing more; once it is back on
-- target, the next fall raises a new alert. A month without a score (no data, retention not
-- known yet) neither crosses nor recovers: the month before and the month after are compared.
-- A metric below target from its first scored month has not crossed anything: the scorecard
-- shows it.
--
-- Persisted: a crossing raised once stays raised as it was raised (`raised_on`: the as-of date
-- of the build that first found it), whatever later builds recompute, and a rebuild never raises
-- it again. So the model appends only crossings it has not recorded, and a full refresh (every
-- build on a new as-of date) leaves it alone.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail'
) }}
{%- set health_target = var('health_score_target') %}
with scorecard as (
    select * from {{ ref('fct_shop_scorecard') }}
    where is_complete
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

principles as (
    select
        shop_id, month_start, month_end, principle as metric, principle_name as metric_name,
        principle_order as metric_order, value, target, score, next_change,
        score >= 1 as is_on_target
    from scorecard
    where score is not null
),

health as (
    select distinct
        shop_id, month_start, month_end, 'health_score' as metric, 'Health score' as metric_name,
        0 as metric_order, health_score as value, {{ health_target }} as target,
        least(health_score / {{ health_target }}, 1) as score,
        'See the principle furthest below its target' as next_change,
        health_score >= {{ health_target }} as is_on_target
    from scorecard
    where health_score is not null
),

series as (
    select
        *,
        lag(is_on_target) over (
            partition by shop_id, metric order by month_start
        ) as was_on_target,
        lag(value) over (partition by shop_id, metric order by month_start) as previous_value,
        lag(month_start) over (
            partition by shop_id, metric order by month_start
        ) as previous_month_start
    from (
        select * from principles
        union all
        select * from health
    ) as scored
),

crossings as (
    select
        shop_id || ':' || metric || ':' || strftime(month_start, '%Y-%m') as alert_id,
        shop_id,
        metric,
        metric_name,
        metric_order,
        month_start,
        -- the day the month became complete: when the crossing could first be known
        month_end as known_on,
        cast(value as decimal(14, 4)) as value,
        cast(target as decimal(14, 4)) as target,
        cast(previous_value as decimal(14, 4)) as previous_value,
        previous_month_start,
        next_change
    from series
    where not is_on_target and was_on_target
),

final as (
    select
        crossings.*,
        {{ as_of_date('shops.time_zone') }} as raised_on,
        now() as raised_at
    from crossings
    inner join shops using (shop_id)
    {%- if is_incremental() %}
    where crossings.alert_id not in (select alert_id from {{ this }})
    {%- endif %}
)

select * from final
