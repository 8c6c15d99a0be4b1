-- One row per campaign (docs/metrics.md, "Pay and campaigns"): its eligible clients split into the
-- exported (treated) and the held-back control, the share of each with a visit within 30 days
-- of the export (half-open: from the export day to 30 days later, any shop of the chain), and
-- the lift, treated minus control, with a 95% Newcombe hybrid score interval
-- (macros/newcombe_interval.sql). Response and lift stay NULL until the 30 days have passed by
-- the as-of date: a window still open would read as a campaign that did not work.
{%- set window_days = 30 %}
with campaigns as (
    select * from {{ ref('stg_campaigns__campaigns') }}
),

members as (
    select * from {{ ref('int_campaigns__members') }}
),

visits as (
    select customer_key, service_date
    from {{ ref('fct_appointments') }}
    where status = 'completed'
),

shops as (
    select shop_id, time_zone from {{ ref('dim_shop') }}
),

responses as (
    select
        members.campaign_id,
        members.arm,
        exists (
            select 1 from visits
            where visits.customer_key = members.customer_key
                and visits.service_date >= campaigns.exported_on
                and visits.service_date
                    < cast({{ dbt.dateadd('day', window_days, 'campaigns.exported_on') }} as date)
        ) as responded
    from members
    inner join campaigns using (campaign_id)
),

counts as (
    select
        campaign_id,
        count(*) filter (where arm = 'treated') as treated_clients,
        count(*) filter (where arm = 'control') as control_clients,
        count(*) filter (where arm = 'treated' and responded) as treated_responders,
        count(*) filter (where arm = 'control' and responded) as control_responders
    from responses
    group by campaign_id
),

windowed as (
    select
        campaigns.campaign_id,
        campaigns.shop_id,
        campaigns.rule,
        campaigns.exported_on,
        cast({{ dbt.dateadd('day', window_days, 'campaigns.exported_on') }} as date)
            as window_end,
        cast({{ dbt.dateadd('day', window_days, 'campaigns.exported_on') }} as date)
            <= {{ as_of_date('shops.time_zone') }} as is_window_over,
        coalesce(counts.treated_clients, 0) as treated_clients,
        coalesce(counts.control_clients, 0) as control_clients,
        coalesce(counts.treated_responders, 0) as treated_responders,
        coalesce(counts.control_responders, 0) as control_responders,
        {{ as_of_date('shops.time_zone') }} as as_of_date
    from campaigns
    inner join shops using (shop_id)
    left join counts using (campaign_id)
),

rated as (
    select
        campaign_id,
        shop_id,
        rule,
        exported_on,
        window_end,
        is_window_over,
        treated_clients + control_clients as audience_clients,
        treated_clients,
        control_clients,
        case when is_window_over then treated_responders end as treated_responders,
        case when is_window_over then control_responders end as control_responders,
        case when is_window_over
            then {{ safe_divide('treated_responders', 'treated_clients') }}
        end as response_treated,
        case when is_window_over
            then {{ safe_divide('control_responders', 'control_clients') }}
        end as response_control,
        case when is_window_over
            then {{ safe_divide('treated_responders', 'treated_clients') }}
                - {{ safe_divide('control_responders', 'control_clients') }}
        end as lift,
        case when is_window_over then {{ newcombe_lower(
            'cast(treated_responders as double)', 'treated_clients',
            'cast(control_responders as double)', 'control_clients') }}
        end as lift_lower_95,
        case when is_window_over then {{ newcombe_upper(
            'cast(treated_responders as double)', 'treated_clients',
            'cast(control_responders as double)', 'control_clients') }}
        end as lift_upper_95,
        as_of_date
    from windowed
),

final as (
    -- shares to four decimals (counts carry the exact figures); decimals compare exactly
    select
        * replace (
            cast(response_treated as decimal(5, 4)) as response_treated,
            cast(response_control as decimal(5, 4)) as response_control,
            cast(lift as decimal(5, 4)) as lift,
            cast(lift_lower_95 as decimal(5, 4)) as lift_lower_95,
            cast(lift_upper_95 as decimal(5, 4)) as lift_upper_95
        )
    from rated
)

select * from final
