{#- Same name and arguments as dbt_utils.unique_combination_of_columns (see
    test_expression_is_true.sql for why it lives here). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
