"""Fit the travel model to the drives that were observed, per area, robustly.

A leg is a drive between two stops whose times a driver marked on the same route, minus the
stop's service time: the travel time people actually had. The model's pace (seconds per
straight-line metre = circuity / speed) is fitted per area of the province, with one
overhead per trip, by least squares with Huber's loss (iteratively reweighted): a driver who
marked a stop 25 minutes late weighs like a leg a few minutes off, not like 25 minutes.

* Times alone fix only the pace; circuity and speed are told apart by distances. When legs
  carry a distance (a mileage log, an odometer), circuity is fitted the same way from them
  and speed follows; otherwise each area keeps the prior's circuity and its speed carries
  the whole fit.
* An area with few legs is pulled towards the province-wide fit (a few pseudo-legs at the
  pooled pace), so one odd drive does not make a whole comarca fast.
* A leg between two areas counts half for each (as :class:`geo.AreaTravelModel` predicts
  it); a leg given an explicit area counts wholly for it.

Legs are read by :mod:`geo.legs`; the errors before and after are measured by
:mod:`geo.calibration_report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from geo.areas import AREAS
from geo.legs import CalibrationError, Leg, LegFeatures, leg_features
from geo.points import Located
from geo.travel import AreaTravelModel, TravelModel

#: Huber's tuning constant: 95% efficiency on normal errors.
HUBER_K = 1.345
#: Each area is pulled to the pooled pace by this many pseudo-legs of median length.
PRIOR_LEGS = 5.0
#: A leg given less weight than this by the robust fit counts as an outlier in the report.
OUTLIER_WEIGHT = 0.5
#: Bounds that keep a fit physical: pace of 130 km/h on a straight road to 10 km/h.
PACE_BOUNDS = (3.6 / 130.0, 3.0 * 3.6 / 10.0)
OVERHEAD_BOUNDS = (0.0, 900.0)


@dataclass(frozen=True, slots=True)
class Calibration:
    """A fitted model and what it was fitted on.

    Attributes:
        model: the calibrated model (save it with :func:`geo.save_travel_model`).
        prior: the model it replaces, as an area model.
        legs: legs fitted on.
        outliers: legs the robust fit gave less than half a weight (bad marks, mostly).
        distances: legs that carried a distance, so circuity was fitted too.
    """

    model: AreaTravelModel
    prior: AreaTravelModel
    legs: int
    outliers: int
    distances: int


def _huber(
    x: np.ndarray, y: np.ndarray, prior_x: np.ndarray, prior_y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Fit y ~ x by Huber IRLS (scale by MAD), prior rows always at full weight.

    Returns:
        The coefficients and the final weight of each data row.
    """
    all_x, all_y = np.vstack([x, prior_x]), np.concatenate([y, prior_y])
    weights = np.ones(len(y))
    beta = np.linalg.lstsq(all_x, all_y, rcond=None)[0]
    for _ in range(100):
        residual = y - x @ beta
        scale = max(1.4826 * float(np.median(np.abs(residual - np.median(residual)))), 1.0)
        weights = np.minimum(1.0, HUBER_K * scale / np.maximum(np.abs(residual), 1e-9))
        root = np.sqrt(np.concatenate([weights, np.ones(len(prior_y))]))
        new = np.linalg.lstsq(all_x * root[:, None], all_y * root, rcond=None)[0]
        if np.allclose(new, beta, rtol=1e-7, atol=1e-9):
            beta = new
            break
        beta = new
    return beta, weights


def _design(features: LegFeatures, rows: np.ndarray) -> np.ndarray:
    """Return the per-area half-length columns of the legs in ``rows``."""
    x = np.zeros((len(rows), len(AREAS)))
    half = features.geodesic_m[rows] / 2
    np.add.at(x, (np.arange(len(rows)), features.area_from[rows]), half)
    np.add.at(x, (np.arange(len(rows)), features.area_to[rows]), half)
    return x


def _fit_pace(features: LegFeatures) -> tuple[np.ndarray, float, float, np.ndarray]:
    """Fit pace per area and one overhead; return paces, overhead, pooled pace, weights."""
    everything = np.arange(len(features.seconds))
    g, y = features.geodesic_m, features.seconds
    pooled, _ = _huber(np.column_stack([g, np.ones_like(g)]), y, np.zeros((0, 2)), np.zeros(0))
    pooled_pace = float(np.clip(pooled[0], *PACE_BOUNDS))
    strength = np.sqrt(PRIOR_LEGS) * float(np.median(g))
    x = _design(features, everything)
    prior_x = np.eye(len(AREAS)) * strength
    prior_y = np.full(len(AREAS), strength * pooled_pace)
    beta, weights = _huber(
        np.column_stack([x, np.ones(len(y))]),
        y,
        np.column_stack([prior_x, np.zeros(len(AREAS))]),
        prior_y,
    )
    overhead = float(beta[-1])
    if not OVERHEAD_BOUNDS[0] <= overhead <= OVERHEAD_BOUNDS[1]:
        overhead = float(np.clip(overhead, *OVERHEAD_BOUNDS))
        beta, weights = _huber(x, y - overhead, prior_x, prior_y)
    return np.clip(beta[: len(AREAS)], *PACE_BOUNDS), overhead, pooled_pace, weights


def _fit_circuity(features: LegFeatures, prior: AreaTravelModel) -> np.ndarray:
    """Fit circuity per area from the legs that carry a distance, else keep the prior's."""
    known = np.flatnonzero(np.isfinite(features.distance_m))
    if len(known) == 0:
        return np.array([prior.model_of(name).circuity for name in AREAS])
    g, d = features.geodesic_m[known], features.distance_m[known]
    (pooled,), _ = _huber(g[:, None], d, np.zeros((0, 1)), np.zeros(0))
    strength = np.sqrt(PRIOR_LEGS) * float(np.median(g))
    beta, _ = _huber(
        _design(features, known),
        d,
        np.eye(len(AREAS)) * strength,
        np.full(len(AREAS), strength * max(pooled, 1.0)),
    )
    return np.maximum(beta, 1.0)


def fit_travel_model(
    legs: Sequence[Leg],
    places: Mapping[str, Located] | None = None,
    prior: TravelModel | AreaTravelModel | None = None,
    *,
    source: str = "",
) -> Calibration:
    """Fit circuity and speed per area, and the overhead, to observed legs (robust to outliers).

    Args:
        legs: the observed drives (at least 10).
        places: the places legs name, by key; the gazetteer's municipalities by INE code by
            default (add named stops for legs that start or end at one).
        prior: the model being replaced (circuity kept when legs have no distances); the
            default :class:`geo.TravelModel` by default.
        source: where the legs came from, recorded in the model.

    Returns:
        The calibrated :class:`geo.AreaTravelModel` with the legs, outliers and distances used.
        Areas no leg touches keep the province-wide (pooled) fit.

    Raises:
        CalibrationError: fewer than 10 legs, or a leg names an unknown place.
    """
    if len(legs) < 10:
        raise CalibrationError(f"{len(legs)} legs are too few to fit a travel model (need 10)")
    base = prior if isinstance(prior, AreaTravelModel) else AreaTravelModel(prior or TravelModel())
    features = leg_features(legs, places)
    pace, overhead, pooled_pace, weights = _fit_pace(features)
    circuity = _fit_circuity(features, base)
    touched = np.bincount(
        np.concatenate([features.area_from, features.area_to]), minlength=len(AREAS)
    )
    pooled_circuity = float(np.median(circuity[touched > 0])) if touched.any() else 1.3
    areas = tuple(
        (name, TravelModel(float(circuity[i]), float(3.6 * circuity[i] / pace[i]), overhead))
        for i, name in enumerate(AREAS)
        if touched[i]
    )
    fitted = (
        ("legs", str(len(legs))),
        ("date", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
        ("source", source),
    )
    model = AreaTravelModel(
        TravelModel(pooled_circuity, 3.6 * pooled_circuity / pooled_pace, overhead), areas, fitted
    )
    return Calibration(
        model=model,
        prior=base,
        legs=len(legs),
        outliers=int((weights < OUTLIER_WEIGHT).sum()),
        distances=int(np.isfinite(features.distance_m).sum()),
    )
