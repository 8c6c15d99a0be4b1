-- Spark's identity map (the `spark` target; DuckDB builds ../int_customers__identity_map.py):
-- the same people, as connected components of the graph joining each record to its phones and
-- emails, found by label propagation in joins a cluster engine spreads over its workers. Every
-- record starts labelled with itself; each round an identifier takes the least label of its
-- records and a record the least of its own and its identifiers' labels (never more than the
-- last round's, as it is one of its identifiers' records). A person whose records are linked
-- in a chain of n identifiers needs n rounds; the model fails rather than stop short of that.
-- The `customer_key` is then chosen as the Python model does: the md5 of the cluster's
-- earliest-seen record (ties by source, then id).
{%- set rounds = 12 %}

with records as (
    select source, source_id, first_seen_at, concat(source, '|', source_id) as node
    from {{ ref('int_customers__identity_records') }}
),

identifiers as (
    select records.node, concat(ids.identifier_type, '|', ids.identifier) as identifier
    from {{ ref('int_customers__identifiers') }} as ids
    inner join records
        on records.source = ids.source
        and records.source_id = ids.source_id
),

labels_0 as (
    select node, node as label from records
),
{%- for round in range(1, rounds + 2) %}

identifier_labels_{{ round }} as (
    select identifiers.identifier, min(labels.label) as label
    from identifiers
    inner join labels_{{ round - 1 }} as labels using (node)
    group by identifiers.identifier
),

-- each round reads the previous one once, so Spark's plan grows with the rounds, not faster
labels_{{ round }} as (
    select node, min(label) as label
    from (
        select node, node as label from records
        union all
        select identifiers.node, ids.label
        from identifiers
        inner join identifier_labels_{{ round }} as ids using (identifier)
    )
    group by node
),
{%- endfor %}

converged as (
    select
        settled.node,
        case
            when settled.label = checked.label then settled.label
            else raise_error(
                'int_customers__identity_map: clusters still growing after {{ rounds }} rounds'
            )
        end as label
    from labels_{{ rounds }} as settled
    inner join labels_{{ rounds + 1 }} as checked using (node)
),

final as (
    select
        records.source,
        records.source_id,
        md5(first_value(records.node) over (
            partition by converged.label
            order by records.first_seen_at asc nulls last, records.source, records.source_id
            rows between unbounded preceding and unbounded following
        )) as customer_key
    from records
    inner join converged using (node)
)

select * from final
