"""Chairside's shared code, by layer (each imports only those below it; import-linter keeps it).

- `core/`, `contracts/`: settings, the clock, warehouse access; the events, topics and bounds.
- `presentation/`: what owners and analysts see (apps' queries, snapshots, releases, campaigns).
- `demo/`: the generator, the live simulator, the local broker and CRM seeding; no product code
  imports it.
- `cli/`: the `chairside` command, the top.

`ingestion/` and `ml/` stand on the core, `orchestration/` on all of them.
"""
