"""Identity resolution: one person across Kafka customers, Cassandra customers, inbox customer
lists and inquiry logs, matched by normalised phone or email, transitively.

Connected components are found with a union-find over (record, identifier) edges, in Python
because a recursive SQL closure grows with the square of a cluster's size. The `customer_key`
is derived from the cluster's anchor: its earliest-seen record (ties by source, then id), so a
new record joining a cluster never changes the key; only a merge of two clusters can.
"""

import hashlib

import pandas as pd


def _find(parent: dict[str, str], node: str) -> str:
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:  # path compression keeps later finds flat
        parent[node], node = root, parent[node]
    return root


def model(dbt, session):
    dbt.config(materialized="table")
    records = dbt.ref("int_customers__identity_records").df()
    identifiers = dbt.ref("int_customers__identifiers").df()
    # Missing ids are NaN in pandas 3 string columns, and NaN != NaN would make a record its
    # own endless parent; staging tests keep them out, this keeps a slipped one from hanging.
    if records["source_id"].isna().any() or identifiers["source_id"].isna().any():
        raise ValueError("identity records with a NULL source_id; see the staging tests")

    record_ids = (records["source"] + "|" + records["source_id"]).tolist()
    parent = {record_id: record_id for record_id in record_ids}
    first_owner: dict[str, str] = {}
    for source, source_id, kind, value in identifiers.itertuples(index=False):
        record_id = f"{source}|{source_id}"
        if record_id not in parent:
            continue
        owner = first_owner.setdefault(f"{kind}:{value}", record_id)
        a, b = _find(parent, owner), _find(parent, record_id)
        if a != b:
            parent[b] = a

    ordered = records.assign(
        record_id=record_ids,
        first_seen=pd.to_datetime(records["first_seen_at"], utc=True).fillna(
            pd.Timestamp.max.tz_localize("UTC")
        ),
    ).sort_values(["first_seen", "source", "source_id"], kind="stable")
    ordered["cluster"] = [_find(parent, record_id) for record_id in ordered["record_id"]]
    anchors = ordered.groupby("cluster", sort=False)["record_id"].first()
    ordered["customer_key"] = ordered["cluster"].map(
        lambda cluster: hashlib.md5(anchors[cluster].encode()).hexdigest()
    )
    return ordered[["source", "source_id", "customer_key"]].reset_index(drop=True)
