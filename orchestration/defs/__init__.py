"""Dagster definitions grouped by domain: ingestion, dbt, and what later layers add."""
