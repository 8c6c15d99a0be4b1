{#- Wilson score interval of a proportion x / n at 95%, and Newcombe's hybrid score interval
    (method 10, no continuity correction) of the difference of two proportions p1 - p2, built
    from the two Wilson intervals. The same method as statsmodels'
    `confint_proportions_2indep(..., method="newcomb")`. NULL when either n is 0. -#}
{% macro wilson_bound(x, n, sign, z=1.959963984540054) -%}
    (({{ x }} / {{ n }} + {{ z }} * {{ z }} / (2.0 * {{ n }})
        {{ sign }} {{ z }} * sqrt(({{ x }} / {{ n }}) * (1 - {{ x }} / {{ n }}) / {{ n }}
            + {{ z }} * {{ z }} / (4.0 * {{ n }} * {{ n }})))
        / (1 + {{ z }} * {{ z }} / {{ n }}))
{%- endmacro %}

{% macro newcombe_lower(x1, n1, x2, n2) -%}
    case when {{ n1 }} > 0 and {{ n2 }} > 0 then
        ({{ x1 }} / {{ n1 }} - {{ x2 }} / {{ n2 }}) - sqrt(
            power({{ x1 }} / {{ n1 }} - {{ wilson_bound(x1, n1, '-') }}, 2)
            + power({{ wilson_bound(x2, n2, '+') }} - {{ x2 }} / {{ n2 }}, 2)
        )
    end
{%- endmacro %}

{% macro newcombe_upper(x1, n1, x2, n2) -%}
    case when {{ n1 }} > 0 and {{ n2 }} > 0 then
        ({{ x1 }} / {{ n1 }} - {{ x2 }} / {{ n2 }}) + sqrt(
            power({{ wilson_bound(x1, n1, '+') }} - {{ x1 }} / {{ n1 }}, 2)
            + power({{ x2 }} / {{ n2 }} - {{ wilson_bound(x2, n2, '-') }}, 2)
        )
    end
{%- endmacro %}
