"""Chairside's models: weekly forecasts per shop (`ml.forecast`) and client value and churn
(`ml.clv`), as defined in docs/metrics.md.

Everything here is a function over DataFrames; reading the marts, writing the output tables and
scheduling live in `orchestration.defs.ml`, so the models can be tested and benchmarked without
a warehouse or Dagster.
"""
