"""The picture logged with every candidate run of a series: recent history, each candidate's
backtest forecasts and next weeks, the champion's 80% interval, and every candidate's scores in
the legend, so a run shows its model next to the ones it was compared with.

One figure per series, logged into each of its candidate runs: rendering is most of the cost of
recording a forecast run. Built on `matplotlib.figure.Figure` rather than pyplot, so no global
figure state is kept between the hundreds of plots of a run.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ml.forecast.champion import SeriesResult

HISTORY_WEEKS = 104
COLOURS = {"prophet": "tab:blue", "seasonal_naive": "tab:green", "ets": "tab:orange"}


def series_figure(result: SeriesResult) -> Figure:
    series = result.series
    figure = Figure(figsize=(10, 4.5))
    # fixed margins: constrained layout would double the time a figure takes
    figure.subplots_adjust(left=0.07, right=0.98, top=0.92, bottom=0.08)
    axes = figure.subplots()
    history = series.values.iloc[-HISTORY_WEEKS:]
    axes.plot(history.index, history.to_numpy(), color="black", linewidth=1, label="actual")
    for name, candidate in result.candidates.items():
        colour = COLOURS[name]
        champion = name == result.champion
        for _, window in candidate.backtest.groupby("cutoff"):
            axes.plot(
                window["week_start"], window["yhat"], color=colour, linestyle=":", linewidth=1
            )
        scores = candidate.scores
        axes.plot(
            candidate.forecast.index,
            candidate.forecast["yhat"],
            color=colour,
            linewidth=2 if champion else 1,
            linestyle="-" if champion else "--",
            label=f"{name}{' (champion)' if champion else ''}: "
            f"MASE {scores.mase:.2f}, 80% coverage {scores.coverage_80:.0%}",
        )
        if champion:
            axes.fill_between(
                candidate.forecast.index,
                candidate.forecast["yhat_lower"],
                candidate.forecast["yhat_upper"],
                color=colour,
                alpha=0.2,
            )
    axes.set_title(
        f"{series.shop_id} · {series.metric}: backtests (dotted) and the next "
        f"{len(result.candidates[result.champion].forecast)} weeks"
    )
    axes.set_ylabel(series.metric)
    axes.legend(loc="upper left", fontsize="small")
    return figure
