"""What the marimo apps and the owner snapshot read from the marts, and how they present it.

Every query lives here, not in the notebooks, so it is unit-tested once and an app cell stays a
few lines. Every read goes through `chairside.core.warehouse.read_frame`: one short read-only
connection per query, retried while the pipeline holds the file.
"""
