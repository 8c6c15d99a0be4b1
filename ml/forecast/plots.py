"""The one comparison plot of a series, logged with its champion's run: recent history, every
candidate's held-out backtest forecasts with its held-out MASE and coverage in the legend, and
the champion's next weeks with their 80% interval.

Rendering is most of the cost of recording a forecast run, hence one figure per series. Built on
`matplotlib.figure.Figure` rather than pyplot, so no global figure state is kept between the
hundreds of plots of a run.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ml.forecast.champion import SeriesResult

HISTORY_WEEKS = 104
COLOURS = {
    "seasonal_naive": "tab:green",
    "growth_seasonal_naive": "tab:blue",
    "theta": "tab:purple",
    "mstl_ets": "tab:orange",
}


def series_figure(result: SeriesResult) -> Figure:
    series = result.series
    figure = Figure(figsize=(10, 4.5))
    # fixed margins: constrained layout would double the time a figure takes
    figure.subplots_adjust(left=0.07, right=0.98, top=0.92, bottom=0.08)
    axes = figure.subplots()
    history = series.values.iloc[-HISTORY_WEEKS:]
    axes.plot(history.index, history.to_numpy(), color="black", linewidth=1, label="actual")
    for name, candidate in result.candidates.items():
        scores = candidate.held_out
        held_out = candidate.backtest[candidate.backtest["block"] == "held_out"]
        for number, (_, window) in enumerate(held_out.groupby("origin")):
            axes.plot(
                window["week_start"],
                window["yhat"],
                color=COLOURS.get(name, "tab:gray"),
                linestyle=":",
                linewidth=1,
                label=None
                if number
                else f"{name}{' (champion)' if name == result.champion else ''}: held-out "
                f"MASE {scores.mase:.2f}, 80% coverage {scores.coverage_80:.0%}",
            )
    forecast, colour = result.forecast, COLOURS.get(result.champion, "tab:gray")
    axes.plot(forecast.index, forecast["yhat"], color=colour, linewidth=2)
    axes.fill_between(
        forecast.index, forecast["yhat_lower"], forecast["yhat_upper"], color=colour, alpha=0.2
    )
    shown = "held-out backtests (dotted)" if result.backtested else f"{result.champion} baseline"
    axes.set_title(
        f"{series.shop_id} · {series.metric}: {shown} and the next {len(forecast)} weeks"
    )
    axes.set_ylabel(series.metric)
    axes.legend(loc="upper left", fontsize="small")
    return figure
