"""Client value and churn in a non-contractual setting: BG/NBD for visits, Gamma-Gamma for
spend per visit, scored per client (docs/metrics.md, Scores)."""
