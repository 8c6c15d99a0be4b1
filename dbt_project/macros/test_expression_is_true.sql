{#- Same name and arguments as dbt_utils.expression_is_true. dbt Hub is not reachable from this
    project's build machines (only PyPI, Debian and npm are), so dbt_utils cannot be installed;
    switching back is a matter of prefixing the test with `dbt_utils.`. -#}
{% test expression_is_true(model, expression, column_name=None, where=None) %}
select *
from {{ model }}
where not ({{ column_name ~ ' ' if column_name else '' }}{{ expression }})
{% endtest %}
