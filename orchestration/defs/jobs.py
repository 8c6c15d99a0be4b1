"""Jobs that span domains (ingestion and warehouse), shared by definitions and sensors."""

import dagster as dg

warehouse_job = dg.define_asset_job(
    "warehouse_build",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("ml", "reports"),
    description=(
        "Ingest every source and rebuild the warehouse with all its checks: nightly, and "
        "whenever the Kafka lag sensor sees new events."
    ),
)
