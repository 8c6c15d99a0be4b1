"""The holdout plot of Fader, Hardie & Lee (2005, Figure 4): mean actual against mean predicted
holdout visits, by the number of repeat visits in the calibration period."""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.figure import Figure

from ml.clv.evaluation import HoldoutEvaluation


def holdout_figure(evaluation: HoldoutEvaluation) -> Figure:
    table = evaluation.by_frequency
    figure = Figure(figsize=(8, 4), layout="constrained")
    axes = figure.subplots()
    positions = np.arange(len(table))
    axes.plot(positions, table["actual_mean"], marker="o", color="black", label="actual")
    axes.plot(positions, table["predicted_mean"], marker="o", linestyle="--", label="BG/NBD")
    axes.set_xticks(positions, table["repeat_visits_calibration"])
    axes.set_xlabel(f"repeat visits up to {evaluation.calibration_end}")
    axes.set_ylabel("mean visits in holdout")
    holdout_start = evaluation.calibration_end + dt.timedelta(days=1)
    axes.set_title(
        f"Holdout {holdout_start} – {evaluation.holdout_end}: "
        f"{evaluation.actual_visits:.0f} visits, {evaluation.predicted_visits:.0f} predicted; "
        f"churn AUC {evaluation.churn_auc:.2f}"
    )
    axes.legend()
    return figure


def calibration_figure(evaluation: HoldoutEvaluation) -> Figure:
    """Reliability diagram: per decile of churn risk (out of fold), the mean predicted risk
    against the share of clients who did not come back. On the diagonal means calibrated."""
    table = evaluation.calibration
    figure = Figure(figsize=(5, 5), layout="constrained")
    axes = figure.subplots()
    axes.plot([0, 1], [0, 1], color="grey", linestyle=":", label="calibrated")
    axes.plot(table["predicted"], table["observed"], marker="o", color="black", label="deciles")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel("mean predicted churn risk")
    axes.set_ylabel(f"share with no visit by {evaluation.holdout_end}")
    axes.set_title(
        f"Churn risk on {evaluation.clients} clients: AUC {evaluation.churn_auc:.3f}, "
        f"worst decile {evaluation.max_decile_gap * 100:.1f} pts off",
        fontsize=10,
    )
    axes.legend(loc="upper left")
    return figure
