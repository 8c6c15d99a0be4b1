-- A call can only convert if it was answered: converted <= answered, every shop and week.
select shop_id, week_start, calls_converted, calls_answered
from {{ ref('fct_weekly_shop_metrics') }}
where calls_converted > calls_answered
