"""Visit-frequency-and-dropout models (BG/NBD, modified BG/NBD) and Gamma-Gamma (spend per visit).

The scores use the modified BG/NBD (Batislam, Denizel & Filiztekin 2007): a client may leave
after any visit, the first included. In the plain BG/NBD only a repeat visit can be followed by
leaving, so a one-visit client is "alive" with probability 1 however long ago they came; the
plain model stays here because the CDNOW reproduction of Fader, Hardie & Lee (2005) is the proof
that our data preparation and fitting match the literature.

Library choice: lifetimes 0.11.3. The project is archived (last release 2020), but its fitters
are small numpy/autograd/scipy code that installs and fits on pandas 3 / numpy 2.4 here and
reproduces the published CDNOW estimates (tests/unit/test_ml_cdnow.py). btyd, its maintained
fork, does not import on Python 3.11; pymc-marketing's CLV module is Bayesian and brings ~250 MB
and ~11 s of imports for the point estimates we need.

Only lifetimes' maximum-likelihood fitters and closed-form predictions are used, always on plain
float arrays (its formulas predate pandas' nullable dtypes and index alignment). Two things are
ours instead: the data preparation (`rfm.py`, lifetimes' version breaks on pandas 3) and the
BG/NBD log-likelihood, because lifetimes reports the mean log-likelihood on time rescaled to a
maximum age of 1, which cannot be compared with the literature's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter
from lifetimes.utils import ConvergenceError
from scipy.special import betaln, gammaln

GG_TOLERANCE = 1e-6  # the Gamma-Gamma fit's (see fit_gamma_gamma)


class ModelNotIdentified(ValueError):
    """The visits do not (yet) pin the model down; the message says which model and why.

    A young history is the usual cause: with a few months of visits the BG/NBD maximum sits on
    the boundary where nobody ever drops out, and the optimizer reports a precision loss. That is
    a property of the data, not a failure of the run: the caller writes no scores and says why.
    """


# Both share the parameters r, alpha, a, b and the closed-form predictions used below.
VisitModel: TypeAlias = BetaGeoFitter | ModifiedBetaGeoFitter


@dataclass(frozen=True)
class ClientValueModels:
    """Modified BG/NBD fitted on every client, Gamma-Gamma on the repeat clients' spend."""

    visits: ModifiedBetaGeoFitter
    gamma_gamma: GammaGammaFitter

    def params(self) -> dict[str, float]:
        visits = {name: float(value) for name, value in self.visits.params_.items()}
        spend = {f"gg_{name}": float(value) for name, value in self.gamma_gamma.params_.items()}
        return visits | spend


def _arrays(rfm: pd.DataFrame, *columns: str) -> list[np.ndarray]:
    return [rfm[column].to_numpy(dtype=float) for column in columns]


def fit_bgnbd(rfm: pd.DataFrame, *, penalizer: float = 0.0) -> BetaGeoFitter:
    """Maximum-likelihood BG/NBD on frequency, recency and T (any time unit).

    Raises ModelNotIdentified when the likelihood has no interior maximum, as with a few months
    of history where dropout cannot be told from a slow visit rate yet; a positive `penalizer`
    (L2 on the parameters) trades that for bias.
    """
    frequency, recency, age = _arrays(rfm, "frequency", "recency", "T")
    try:
        return BetaGeoFitter(penalizer_coef=penalizer).fit(frequency, recency, age)
    except ConvergenceError as error:
        raise ModelNotIdentified(
            f"BG/NBD did not converge on {len(rfm)} clients: the history does not yet show "
            "how clients drop out"
        ) from error


def fit_mbgnbd(rfm: pd.DataFrame, *, penalizer: float = 0.0) -> ModifiedBetaGeoFitter:
    """Maximum-likelihood modified BG/NBD; ModelNotIdentified as for `fit_bgnbd`."""
    frequency, recency, age = _arrays(rfm, "frequency", "recency", "T")
    try:
        return ModifiedBetaGeoFitter(penalizer_coef=penalizer).fit(frequency, recency, age)
    except ConvergenceError as error:
        raise ModelNotIdentified(
            f"modified BG/NBD did not converge on {len(rfm)} clients: the history does not yet "
            "show how clients drop out"
        ) from error


def fit_gamma_gamma(rfm: pd.DataFrame, *, penalizer: float = 0.0) -> GammaGammaFitter:
    """Gamma-Gamma on the clients with a repeat visit and positive mean repeat spend.

    Raises ModelNotIdentified when the fit implies no finite mean spend (q <= 1), which would make
    every client value infinite or negative, or when nobody has a paid repeat visit yet.
    """
    repeat = rfm[(rfm["frequency"] > 0) & (rfm["monetary_value"] > 0)]
    if repeat.empty:
        raise ModelNotIdentified("Gamma-Gamma needs clients with a paid repeat visit; none yet")
    frequency, spend = _arrays(repeat, "frequency", "monetary_value")
    # The likelihood is nearly flat along p·v/(q-1) (the mean spend), so at lifetimes' default
    # tolerance (1e-7) BFGS often stops on precision loss at the optimum and reports failure:
    # on the demo, 5 observation ends in 10 weekly ones, all of which converge at 1e-6 with
    # the same parameters to three decimals where both converge.
    fitted = GammaGammaFitter(penalizer_coef=penalizer).fit(frequency, spend, tol=GG_TOLERANCE)
    if fitted.params_["q"] <= 1:
        raise ModelNotIdentified(
            f"Gamma-Gamma fit has q = {fitted.params_['q']:.3f} <= 1: no finite mean spend"
        )
    return fitted


def fit_client_value(rfm: pd.DataFrame, *, penalizer: float = 0.0) -> ClientValueModels:
    return ClientValueModels(
        visits=fit_mbgnbd(rfm, penalizer=penalizer),
        gamma_gamma=fit_gamma_gamma(rfm, penalizer=penalizer),
    )


def bgnbd_log_likelihood(model: BetaGeoFitter, rfm: pd.DataFrame) -> float:
    """Total BG/NBD log-likelihood in the data's own time unit (Fader, Hardie & Lee 2005, eq. 6)."""
    r, alpha, a, b = (float(model.params_[name]) for name in ("r", "alpha", "a", "b"))
    x, t_x, age = _arrays(rfm, "frequency", "recency", "T")
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b)
    still_alive = -(r + x) * np.log(alpha + age)
    # dropped out right after the last visit; impossible without a repeat visit
    with np.errstate(divide="ignore", invalid="ignore"):
        dropped = np.where(
            x > 0, np.log(a) - np.log(b + x - 1) - (r + x) * np.log(alpha + t_x), -np.inf
        )
    return float(np.sum(common + np.logaddexp(still_alive, dropped)))


def p_alive(model: VisitModel, rfm: pd.DataFrame) -> np.ndarray:
    frequency, recency, age = _arrays(rfm, "frequency", "recency", "T")
    return np.asarray(model.conditional_probability_alive(frequency, recency, age), dtype=float)


def p_no_visit(model: VisitModel, rfm: pd.DataFrame, horizon: float) -> np.ndarray:
    """Probability of no visit in the next `horizon` time units, given each client's history.

    In both BG/NBD variants a client leaves only at a visit, so one who is alive now and makes
    no visit stays alive; given alive, the visit rate's posterior is Gamma(r + x, alpha + T)
    and the chance of no visit in t is its Laplace transform: ((alpha + T) / (alpha + T + t))
    ** (r + x). Hence P(none) = 1 - p_alive + p_alive * that.
    """
    r, alpha = (float(model.params_[name]) for name in ("r", "alpha"))
    frequency, age = _arrays(rfm, "frequency", "T")
    quiet_if_alive = ((alpha + age) / (alpha + age + horizon)) ** (r + frequency)
    alive = p_alive(model, rfm)
    return 1.0 - alive + alive * quiet_if_alive


def expected_visits(model: VisitModel, rfm: pd.DataFrame, horizon: float) -> np.ndarray:
    """Expected visits in the next `horizon` time units, given each client's history."""
    frequency, recency, age = _arrays(rfm, "frequency", "recency", "T")
    return model.conditional_expected_number_of_purchases_up_to_time(
        horizon, frequency, recency, age
    )


def expected_spend(model: GammaGammaFitter, rfm: pd.DataFrame) -> np.ndarray:
    """Expected spend per future visit: the client's mean shrunk towards the population's, the
    less so the more visits it rests on (a one-visit client gets the population mean)."""
    frequency, spend = _arrays(rfm, "frequency", "monetary_value")
    return np.asarray(model.conditional_expected_average_profit(frequency, spend), dtype=float)
