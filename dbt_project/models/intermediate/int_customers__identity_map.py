"""Identity resolution: one person across Kafka customers, Cassandra customers, inbox customer
lists and inquiry logs, matched by normalised phone or email, transitively.

A bipartite graph joins each record to its phones and emails; its connected components are the
people. They are found with scipy's compiled graph search: a recursive SQL closure grows with
the square of a cluster's size, and a Python union-find took 4 s on 30 shops where this takes
a tenth of that. The `customer_key` is derived from the cluster's anchor: its earliest-seen
record (ties by source, then id), so a new record joining a cluster never changes the key;
only a merge of two clusters can.
"""

import hashlib

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def _components(records: pd.DataFrame, identifiers: pd.DataFrame) -> np.ndarray:
    """The component of each record: records are nodes 0..n-1, each distinct identifier a node
    after them, every (record, identifier) pair an edge."""
    record_ids = pd.Index(records["source"] + "|" + records["source_id"])
    ends = record_ids.get_indexer(identifiers["source"] + "|" + identifiers["source_id"])
    known = ends >= 0  # an identifier of a record that is not in the records joins nobody
    labels = identifiers["identifier_type"] + ":" + identifiers["identifier"]
    values, distinct = pd.factorize(labels)
    size = len(record_ids) + len(distinct)
    edges = coo_matrix(
        (np.ones(known.sum(), dtype=np.int8), (ends[known], len(record_ids) + values[known])),
        shape=(size, size),
    )
    _, components = connected_components(edges, directed=False)
    return components[: len(record_ids)]


def model(dbt, session):
    dbt.config(materialized="table")
    records = dbt.ref("int_customers__identity_records").df()
    identifiers = dbt.ref("int_customers__identifiers").df()
    # Missing ids are NaN in pandas 3 string columns and would all join one record "nan";
    # staging tests keep them out, this keeps a slipped one from merging strangers.
    if records["source_id"].isna().any() or identifiers["source_id"].isna().any():
        raise ValueError("identity records with a NULL source_id; see the staging tests")

    ordered = pd.DataFrame(
        {
            "source": records["source"],
            "source_id": records["source_id"],
            "record_id": records["source"] + "|" + records["source_id"],
            "first_seen": pd.to_datetime(records["first_seen_at"], utc=True).fillna(
                pd.Timestamp.max.tz_localize("UTC")
            ),
            "cluster": _components(records, identifiers),
        }
    ).sort_values(["first_seen", "source", "source_id"], kind="stable")
    anchors = ordered.groupby("cluster", sort=False)["record_id"].first()
    keys = pd.Series(
        [hashlib.md5(anchor.encode()).hexdigest() for anchor in anchors.to_numpy()],
        index=anchors.index,
    )
    ordered["customer_key"] = ordered["cluster"].map(keys)
    return ordered[["source", "source_id", "customer_key"]].reset_index(drop=True)
