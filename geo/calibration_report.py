"""How far a travel model's times are from the observed legs, as planners feel it.

Errors are reported as the median and 90th percentile of the absolute error in minutes, and
the share of legs the model under-estimated by more than 5 minutes (a rider promised too
early a pickup), overall and per area of the province.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from geo.areas import AREAS
from geo.legs import Leg, leg_features
from geo.points import Located
from geo.travel import AreaTravelModel, TravelModel

#: "Under-estimated" in the report: the model promised this many seconds too few.
LATE_S = 300.0


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
    features = leg_features(legs, places)
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
    features = leg_features(legs, places)
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
