"""Weekly forecasts per shop: Prophet against seasonal-naive and ETS baselines, chosen by
rolling-origin backtests (METRICS.md, Forecasts)."""
