"""Observed legs: drives between two stops marked on the same route, read and made numbers.

A leg is a drive between two stops whose times a driver marked on the same route, minus the
stop's service time: the travel time people actually had. Legs come from a CSV file
(:func:`read_legs`) or from the marks kept in the database; :func:`leg_features` turns them
into the straight-line lengths and areas the calibration and its report work on.
"""

from __future__ import annotations

import csv
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
class LegFeatures:
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
        seconds = positive_value(row["seconds"], "seconds", where)
        distance = (row.get("distance_m") or "").strip()
        area = (row.get("area") or "").strip() or None
        if area is not None and area not in AREAS:
            raise CalibrationError(f"{where}: unknown area {area!r}; use one of {AREAS}")
        legs.append(
            Leg(
                origin,
                destination,
                seconds,
                positive_value(distance, "distance_m", where) if distance else None,
                area,
            )
        )
    if not legs:
        raise CalibrationError(f"{path}: holds no legs")
    return tuple(legs)


def positive_value(text: str | None, column: str, where: str) -> float:
    """Parse a strictly positive finite number."""
    try:
        value = float(text or "")
    except ValueError:
        raise CalibrationError(f"{where}: {column} {text!r} is not a number") from None
    if not (np.isfinite(value) and value > 0):
        raise CalibrationError(f"{where}: {column} {text!r} must be a positive number")
    return value


def leg_features(legs: Sequence[Leg], places: Mapping[str, Located] | None) -> LegFeatures:
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
    return LegFeatures(
        geodesic_pairs(lat1, lon1, lat2, lon2),
        area_from,
        area_to,
        np.array([leg.seconds for leg in legs], dtype=np.float64),
        np.array([np.nan if leg.distance_m is None else leg.distance_m for leg in legs]),
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
