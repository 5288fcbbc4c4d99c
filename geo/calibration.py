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

Errors are reported as planners feel them: the median and 90th percentile of the absolute
error in minutes, and the share of legs the model under-estimated by more than 5 minutes
(a rider promised too early a pickup).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geo.areas import AREAS, area_numbers
from geo.distance import geodesic_pairs
from geo.errors import GeoError
from geo.gazetteer import gazetteer
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
#: "Under-estimated" in the report: the model promised this many seconds too few.
LATE_S = 300.0
LEG_COLUMNS = ("from", "to", "seconds")
LEG_OPTIONAL = ("distance_m", "area")


class CalibrationError(GeoError):
    """Legs that cannot be fitted: a bad file, unknown places, too few legs."""


@dataclass(frozen=True, slots=True)
class Leg:
    """One observed drive between two stops of the same route.

    Attributes:
        origin: key of the place driven from (INE code or place id).
        destination: key of the place driven to.
        seconds: the driving time observed (marks' difference minus service time).
        distance_m: the distance driven, if known (lets circuity be fitted).
        area: the area the leg counts for, if not its two ends' (one of ``geo.areas.AREAS``).
    """

    origin: str
    destination: str
    seconds: float
    distance_m: float | None = None
    area: str | None = None


@dataclass(frozen=True, slots=True)
class ErrorSummary:
    """How far a model's times were from the observed ones, as planners feel it.

    Attributes:
        legs: how many legs were measured.
        median_min: median absolute error, in minutes.
        p90_min: 90th percentile of the absolute error, in minutes.
        under_5min: share of legs the model made more than 5 minutes too short.
    """

    legs: int
    median_min: float
    p90_min: float
    under_5min: float


@dataclass(frozen=True, slots=True)
class AreaRow:
    """One area's fitted parameters and its legs' errors before and after.

    Attributes:
        area: one of :data:`geo.areas.AREAS`.
        legs: legs with an end in the area.
        circuity: the calibrated model's circuity there.
        speed_kmh: its speed there.
        before: those legs' errors with the model in use.
        after: their errors with the calibrated model.
    """

    area: str
    legs: int
    circuity: float
    speed_kmh: float
    before: ErrorSummary
    after: ErrorSummary


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two models' errors on the same legs, overall and per area.

    Attributes:
        before: errors of the model in use.
        after: errors of the calibrated model.
        areas: one row per area of :data:`geo.areas.AREAS`.
        overhead_before_s: the per-trip overhead in use.
        overhead_after_s: the calibrated one.
    """

    before: ErrorSummary
    after: ErrorSummary
    areas: tuple[AreaRow, ...]
    overhead_before_s: float
    overhead_after_s: float


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


@dataclass(frozen=True, slots=True)
class _Features:
    """Legs turned into numbers: straight-line length, both ends' area numbers."""

    geodesic_m: np.ndarray
    area_from: np.ndarray
    area_to: np.ndarray
    seconds: np.ndarray
    distance_m: np.ndarray


def read_legs(path: str | os.PathLike[str]) -> tuple[Leg, ...]:
    """Read observed legs from CSV: ``from,to,seconds``, optionally ``distance_m`` and ``area``.

    Args:
        path: the CSV file (UTF-8, header row).

    Returns:
        The legs in file order.

    Raises:
        CalibrationError: the file is missing or a row is malformed; names the line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CalibrationError(f"{path}: cannot read legs ({error})") from None
    reader = csv.DictReader(text.splitlines())
    missing = set(LEG_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise CalibrationError(
            f"{path}: line 1: header lacks {', '.join(sorted(missing))}; expected "
            f"{','.join(LEG_COLUMNS)}[,{','.join(LEG_OPTIONAL)}]"
        )
    legs = []
    for row in reader:
        where = f"{path}: line {reader.line_num}"
        origin, destination = (row["from"] or "").strip(), (row["to"] or "").strip()
        if not origin or not destination:
            raise CalibrationError(f"{where}: missing from or to")
        seconds = _positive(row["seconds"], "seconds", where)
        distance = (row.get("distance_m") or "").strip()
        area = (row.get("area") or "").strip() or None
        if area is not None and area not in AREAS:
            raise CalibrationError(f"{where}: unknown area {area!r}; use one of {AREAS}")
        legs.append(
            Leg(
                origin,
                destination,
                seconds,
                _positive(distance, "distance_m", where) if distance else None,
                area,
            )
        )
    if not legs:
        raise CalibrationError(f"{path}: holds no legs")
    return tuple(legs)


def _positive(text: str | None, column: str, where: str) -> float:
    """Parse a strictly positive finite number."""
    try:
        value = float(text or "")
    except ValueError:
        raise CalibrationError(f"{where}: {column} {text!r} is not a number") from None
    if not (np.isfinite(value) and value > 0):
        raise CalibrationError(f"{where}: {column} {text!r} must be a positive number")
    return value


def _features(legs: Sequence[Leg], places: Mapping[str, Located] | None) -> _Features:
    """Look the legs' places up and compute their lengths and areas."""
    if places is None:
        places = {town.ine_code: town for town in gazetteer()}
    ends = []
    for number, leg in enumerate(legs):
        for key in (leg.origin, leg.destination):
            if key not in places:
                raise CalibrationError(f"leg {number}: unknown place {key!r}")
        if leg.origin == leg.destination:
            raise CalibrationError(f"leg {number}: starts and ends at {leg.origin!r}")
        ends.append((places[leg.origin], places[leg.destination]))
    lat1 = np.array([a.latitude for a, _ in ends], dtype=np.float64)
    lon1 = np.array([a.longitude for a, _ in ends], dtype=np.float64)
    lat2 = np.array([b.latitude for _, b in ends], dtype=np.float64)
    lon2 = np.array([b.longitude for _, b in ends], dtype=np.float64)
    area_from, area_to = area_numbers(lat1, lon1), area_numbers(lat2, lon2)
    for number, leg in enumerate(legs):
        if leg.area is not None:
            area_from[number] = area_to[number] = AREAS.index(leg.area)
    return _Features(
        geodesic_pairs(lat1, lon1, lat2, lon2),
        area_from,
        area_to,
        np.array([leg.seconds for leg in legs], dtype=np.float64),
        np.array([np.nan if leg.distance_m is None else leg.distance_m for leg in legs]),
    )


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


def _design(features: _Features, rows: np.ndarray) -> np.ndarray:
    """Return the per-area half-length columns of the legs in ``rows``."""
    x = np.zeros((len(rows), len(AREAS)))
    half = features.geodesic_m[rows] / 2
    np.add.at(x, (np.arange(len(rows)), features.area_from[rows]), half)
    np.add.at(x, (np.arange(len(rows)), features.area_to[rows]), half)
    return x


def _fit_pace(features: _Features) -> tuple[np.ndarray, float, float, np.ndarray]:
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


def _fit_circuity(features: _Features, prior: AreaTravelModel) -> np.ndarray:
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
    features = _features(legs, places)
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


def predict_legs(
    model: TravelModel | AreaTravelModel,
    legs: Sequence[Leg],
    places: Mapping[str, Located] | None = None,
) -> np.ndarray:
    """Return the model's driving time in seconds for each leg.

    Args:
        model: a plain or per-area travel model.
        legs: the legs.
        places: the places they name, by key (the gazetteer by default).

    Returns:
        One float per leg, as the model's provider would give it (before rounding).
    """
    area_model = model if isinstance(model, AreaTravelModel) else AreaTravelModel(model)
    features = _features(legs, places)
    _, seconds = area_model.pair_times(features.geodesic_m, features.area_from, features.area_to)
    return seconds


def error_summary(predicted_s: np.ndarray, observed_s: np.ndarray) -> ErrorSummary:
    """Summarise a model's errors on legs the way planners feel them.

    Args:
        predicted_s: the model's seconds per leg.
        observed_s: the observed (or true) seconds per leg.

    Returns:
        Median and 90th percentile absolute error in minutes, and the share of legs where the
        model was short by more than 5 minutes.
    """
    error = np.asarray(predicted_s, dtype=np.float64) - np.asarray(observed_s, dtype=np.float64)
    if error.size == 0:
        return ErrorSummary(0, float("nan"), float("nan"), float("nan"))
    absolute = np.abs(error) / 60
    return ErrorSummary(
        legs=int(error.size),
        median_min=float(np.median(absolute)),
        p90_min=float(np.percentile(absolute, 90)),
        under_5min=float(np.mean(error < -LATE_S)),
    )


def compare_models(
    before: TravelModel | AreaTravelModel,
    after: AreaTravelModel,
    legs: Sequence[Leg],
    places: Mapping[str, Located] | None = None,
) -> Comparison:
    """Return two models' errors on the same legs, overall and per area.

    Args:
        before: the model in use.
        after: the calibrated model.
        legs: the legs to measure on (held-out ones for an honest figure).
        places: the places they name (the gazetteer by default).

    Returns:
        The errors, with each area's fitted parameters and the legs with an end in it.
    """
    observed = np.array([leg.seconds for leg in legs], dtype=np.float64)
    old, new = predict_legs(before, legs, places), predict_legs(after, legs, places)
    features = _features(legs, places)
    rows = []
    for number, name in enumerate(AREAS):
        mask = (features.area_from == number) | (features.area_to == number)
        fitted = after.model_of(name)
        rows.append(
            AreaRow(
                name,
                int(mask.sum()),
                fitted.circuity,
                fitted.speed_kmh,
                error_summary(old[mask], observed[mask]),
                error_summary(new[mask], observed[mask]),
            )
        )
    before_overhead = (
        before.base.overhead_s if isinstance(before, AreaTravelModel) else before.overhead_s
    )
    return Comparison(
        error_summary(old, observed),
        error_summary(new, observed),
        tuple(rows),
        before_overhead,
        after.base.overhead_s,
    )


def split_legs(
    legs: Sequence[Leg], holdout: float, seed: int = 0
) -> tuple[tuple[Leg, ...], tuple[Leg, ...]]:
    """Split legs at random into a fitting set and a held-out set of the given share.

    Args:
        legs: all legs.
        holdout: share held out, in [0, 1).
        seed: random seed, for a reproducible split.

    Returns:
        ``(fit, held_out)``.
    """
    if not 0 <= holdout < 1:
        raise CalibrationError(f"the held-out share must be in [0, 1), got {holdout}")
    order = np.random.default_rng(seed).permutation(len(legs))
    cut = round(len(legs) * holdout)
    return tuple(legs[i] for i in order[cut:]), tuple(legs[i] for i in order[:cut])


def format_comparison(comparison: Comparison) -> str:
    """Render a comparison as the fixed-width table ``rural-cars geo calibrate`` prints."""

    def summary(label: str, errors: ErrorSummary) -> str:
        return (
            f"{label:<22} {errors.legs:>6} {errors.median_min:>10.1f} {errors.p90_min:>8.1f} "
            f"{100 * errors.under_5min:>11.1f}%"
        )

    header = f"{'model':<22} {'legs':>6} {'median min':>10} {'p90 min':>8} {'late >5 min':>12}"
    lines = [
        header,
        "-" * len(header),
        summary("before (current)", comparison.before),
        summary("after (calibrated)", comparison.after),
        "",
    ]
    area_header = (
        f"{'area':<18} {'legs':>5} {'circuity':>8} {'km/h':>6} "
        f"{'median before':>13} {'median after':>12}"
    )
    lines += [area_header, "-" * len(area_header)]
    for row in comparison.areas:
        lines.append(
            f"{row.area:<18} {row.legs:>5} {row.circuity:>8.2f} {row.speed_kmh:>6.1f} "
            f"{row.before.median_min:>13.1f} {row.after.median_min:>12.1f}"
        )
    lines.append(
        f"overhead per trip: {comparison.overhead_before_s:.0f} s -> "
        f"{comparison.overhead_after_s:.0f} s"
    )
    return "\n".join(lines)
