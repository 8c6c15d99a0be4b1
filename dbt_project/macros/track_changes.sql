{#- The rows of the CTE `rows`, with a hash of their content and `changed_at`: when that
    content last changed. An incremental build recomputes more rows than actually change (a
    client's whole history to renumber their visits); `changed_at` keeps its old value for a
    row that came out the same, so models downstream rebuild only what really moved. A full
    build starts every row's history now. (`hash` is DuckDB's; should an upgrade change it,
    every row reads as changed once, which costs a rebuild, never a wrong number.) -#}
{% macro track_changes(rows, unique_key) -%}
    select
        {{ rows }}.*,
        hash({{ rows }}) as row_hash,
        {%- if is_incremental() %}
            case
                when built.row_hash = hash({{ rows }}) then built.changed_at else now()
            end as changed_at
        from {{ rows }}
        left join {{ this }} as built using ({{ unique_key }})
        {%- else %}
            now() as changed_at
        from {{ rows }}
        {%- endif %}
{%- endmacro %}
