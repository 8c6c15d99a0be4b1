"""The client-value figures of issue #15, on the demo and on CDNOW, each against the truth.

    .venv/bin/python bench/clv_figures.py [--demo-visits FILE.pkl]

Demo: the generator is run to 2027-02-13 over 820 days (so its history starts on the same day as
the default two-year demo ending 2026-11-15), clients by their true identity. Scores are made as
of 2026-11-15 from the visits up to then; the truth is what each client did in the 90 days after
it, which no model saw. CDNOW (FHL 2005): scored as of 1997-12-29 (90 days after the end of the
paper's calibration period), the truth the 90 days after, in the data.

Printed per data set: the holdout figures the scoring run reports about itself (out-of-fold churn
AUC, overdue ratio AUC, calibration by decile, visits by repeat visits), then the same against
the truth of the future 90 days, segment sizes and the At-Risk clients seen within 120 days.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ml.clv.evaluation import calibration_table, roc_auc
from ml.clv.pipeline import ScoringSettings, run_scoring
from ml.clv.rfm import holdout_visits
from ml.clv.scores import AT_RISK

CDNOW = Path(__file__).parents[1] / "tests" / "data" / "CDNOW_sample.txt"
DEMO_AS_OF = dt.date(2026, 11, 15)
CDNOW_AS_OF = dt.date(1997, 12, 29)
HORIZON = dt.timedelta(days=90)


def demo_visits() -> tuple[pd.DataFrame, pd.Series]:
    from chairside.demo import DemoConfig, generate

    config = DemoConfig(years=820 / 365.25, end_date=DEMO_AS_OF + HORIZON)
    dataset = generate(config)
    rows = [
        (
            a.person_id,
            a.scheduled_start.date(),
            float(a.completion.service_revenue + a.completion.product_revenue),
        )
        for a in dataset.appointments
        if a.completion is not None
    ]
    visits = pd.DataFrame(rows, columns=["customer_key", "visit_date", "revenue"])
    home = pd.Series({p.person_id: p.home_shop_id for p in dataset.people})
    return visits, home


def cdnow_visits() -> tuple[pd.DataFrame, pd.Series]:
    raw = pd.read_csv(
        CDNOW,
        sep=r"\s+",
        header=None,
        names=["id_full", "customer_key", "date", "cds", "revenue"],
        dtype={"date": str},
    )
    visits = raw.assign(visit_date=pd.to_datetime(raw["date"], format="%Y%m%d").dt.date)
    return visits, pd.Series("cdnow", index=visits["customer_key"].unique())


def report(name: str, visits: pd.DataFrame, home: pd.Series, as_of: dt.date) -> None:
    started = time.perf_counter()
    seen = visits[pd.to_datetime(visits["visit_date"]) <= pd.Timestamp(as_of)]
    result = run_scoring(seen, home, as_of, ScoringSettings())
    holdout = result.holdout
    print(f"\n=== {name}: scored as of {as_of} in {time.perf_counter() - started:.1f} s ===")
    print(f"model: {result.models.params()}")
    print(
        f"self-reported holdout {holdout.calibration_end} .. {holdout.holdout_end}, "
        f"{holdout.clients} clients: churn AUC {holdout.churn_auc:.3f} (out of fold), "
        f"overdue ratio AUC {holdout.overdue_ratio_auc:.3f}, modified BG/NBD alone "
        f"{holdout.model_auc:.3f}; worst decile gap {holdout.max_decile_gap:.3f}; "
        f"problems: {holdout.problems() or 'none'}"
    )
    print(holdout.calibration.round(3).to_string(index=False))
    print(holdout.by_frequency.round(3).to_string(index=False))

    scores = result.scores
    came = holdout_visits(visits, as_of, as_of + HORIZON).reindex(scores.index, fill_value=0)
    quiet = (came == 0).to_numpy()
    ratio = scores["overdue_ratio"].fillna(1.0).to_numpy()
    print(
        f"truth (next 90 days, {quiet.mean():.1%} did not come): churn_risk AUC "
        f"{roc_auc(scores['churn_risk'].to_numpy(), quiet):.3f}, overdue ratio AUC "
        f"{roc_auc(ratio, quiet):.3f}, 1 - p_alive AUC "
        f"{roc_auc(1 - scores['p_alive'].to_numpy(), quiet):.3f}"
    )
    table = calibration_table(scores["churn_risk"].to_numpy(), quiet.astype(float))
    gap = (table["predicted"] - table["observed"]).abs().max()
    print(f"calibration against the truth (worst decile gap {gap:.3f}):")
    print(table.round(3).to_string(index=False))
    print(f"predicted visits {scores['expected_visits_90d'].sum():.0f}, actual {came.sum()}")
    print("segments:", scores["segment"].value_counts().to_dict())
    at_risk = scores[scores["segment"] == AT_RISK]
    since = (pd.Timestamp(as_of) - pd.to_datetime(at_risk["last_visit_date"])).dt.days
    print(
        f"At-Risk: {len(at_risk)} clients, {(since <= 120).sum()} seen within 120 days, "
        f"{(at_risk.index.isin(result.rfm.index[result.rfm['frequency'] == 0])).sum()} "
        f"one-visit; {np.mean(~quiet[scores['segment'].eq(AT_RISK).to_numpy()]):.1%} of them "
        "came back within 90 days"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demo-visits", type=Path, help="pickle of (visits, home) to reuse")
    args = parser.parse_args()
    if args.demo_visits and args.demo_visits.exists():
        visits, home = pickle.loads(args.demo_visits.read_bytes())
    else:
        visits, home = demo_visits()
        if args.demo_visits:
            args.demo_visits.write_bytes(pickle.dumps((visits, home)))
    report("demo (generator, true identities)", visits, home, DEMO_AS_OF)
    report("CDNOW", *cdnow_visits(), CDNOW_AS_OF)


if __name__ == "__main__":
    main()
