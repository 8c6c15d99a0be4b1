"""Weekly forecasts per shop: seasonal naive, growth-adjusted seasonal naive and MSTL with ETS,
the champion chosen on earlier rolling-origin backtests over complete weeks and scored on later
ones (docs/metrics.md, Forecasts)."""
