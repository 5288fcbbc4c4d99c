"""The rural road travel model: geodesic distance stretched by circuity, driven at a speed.

road distance = geodesic distance x circuity factor
travel time   = road distance / effective speed (+ a fixed overhead per trip that moves)

Defaults, and why (rural Province of Guadalajara, Spain):

* ``circuity = 1.3``. Roads are longer than the straight line by a "circuity factor" or
  "detour index". Ballou, Rahardja and Sakai, "Selected country circuity factors for road
  travel distance estimation", Transportation Research Part A 36(9), 2002, pp. 843-848,
  estimated it per country from sampled city pairs; for Europe it is about 1.3. Boscoe,
  Henry and Zdeb, "A nationwide comparison of driving distance versus straight-line distance
  to hospitals", The Professional Geographer 64(2), 2012, pp. 188-196, compared road and
  straight-line distance from over 66,000 US locations and found a detour index of roughly
  1.4, with local exceptions near shorelines and other physical barriers. Village-to-village
  trips here are short and the Serranía, Alto Tajo and Señorío de Molina are hilly, which
  pushes the factor up; the trunk roads (A-2, N-211, N-320, CM-10xx) are fairly direct,
  which pulls it down. 1.3 is the European value; raise it towards 1.4 for the mountain
  comarcas if a routing engine's times show it. (The figures are quoted from the papers'
  summaries; they were not re-derived here.)
* ``speed_kmh = 65``: the effective door-to-door average on the road distance. The general
  limit on conventional (two-lane) roads in Spain is 90 km/h (Real Decreto 1514/2018);
  through-towns (travesías) are 50 km/h and urban streets 30-50 km/h (Real Decreto
  970/2020). A trip between villages of the province crosses one or more travesías and runs
  on winding CM and GU roads, so the sustained average sits well below 90; 60-70 km/h is
  the usual planning range for such roads, and 65 km/h is its middle. It is deliberately
  not the motorway speed: the A-2 corridor (Azuqueca-Guadalajara) is faster, so the model
  errs long there, which is the safe side for a promised pickup time.
* ``overhead_s = 120``: two minutes per trip for leaving and entering a village at low
  speed, finding the stop and parking; it applies only to trips between different points.

These are estimates. A deployment with real road times (OSRM, Valhalla, GraphHopper...)
should export them as a matrix file and use :class:`geo.MatrixFileProvider`; one without a
routing engine can fit the model to the drives it observed (:mod:`geo.calibration`), which
gives an :class:`AreaTravelModel`: circuity and speed per area of the province.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geo.areas import AREAS, area_numbers
from geo.distance import geodesic_matrix
from geo.errors import GeoError

MODEL_FORMAT = "rural-cars travel model 1"

#: Ballou et al. (2002): European road circuity; see the module docstring.
DEFAULT_CIRCUITY = 1.3
#: Effective average on rural two-lane roads with travesías; see the module docstring.
DEFAULT_SPEED_KMH = 65.0
#: Fixed time per trip for leaving and entering villages, in seconds.
DEFAULT_OVERHEAD_S = 120.0


class InvalidTravelModelError(GeoError):
    """A travel model parameter that makes no physical sense."""


@dataclass(frozen=True, slots=True)
class TravelModel:
    """Parameters turning geodesic distance into road distance and driving time."""

    circuity: float = DEFAULT_CIRCUITY
    speed_kmh: float = DEFAULT_SPEED_KMH
    overhead_s: float = DEFAULT_OVERHEAD_S

    def __post_init__(self) -> None:
        """Reject parameters that would give negative, infinite or shorter-than-air trips."""
        if not (math.isfinite(self.circuity) and self.circuity >= 1.0):
            raise InvalidTravelModelError(
                f"circuity must be a finite number >= 1 (roads are never shorter than the "
                f"straight line), got {self.circuity}"
            )
        if not (math.isfinite(self.speed_kmh) and self.speed_kmh > 0):
            raise InvalidTravelModelError(
                f"speed_kmh must be a finite number > 0, got {self.speed_kmh}"
            )
        if not (math.isfinite(self.overhead_s) and self.overhead_s >= 0):
            raise InvalidTravelModelError(
                f"overhead_s must be a finite number >= 0, got {self.overhead_s}"
            )

    def road_distance_m(self, geodesic_m: float | np.ndarray) -> float | np.ndarray:
        """Return the estimated road distance in metres for a geodesic distance in metres."""
        return geodesic_m * self.circuity

    def travel_time_s(self, road_m: float | np.ndarray) -> float | np.ndarray:
        """Return the driving time in seconds for a road distance in metres (0 stays 0)."""
        moving = road_m / (self.speed_kmh / 3.6)
        return np.where(np.asarray(road_m) > 0, moving + self.overhead_s, 0.0)

    def matrices(
        self, latitude: np.ndarray, longitude: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return (distance_m, time_s) integer N x N matrices for N points.

        Args:
            latitude: N latitudes in degrees.
            longitude: N longitudes in degrees.

        Returns:
            Two int64 arrays, symmetric with a zero diagonal, rounded to the metre / second.
        """
        road = self.road_distance_m(geodesic_matrix(latitude, longitude))
        time = self.travel_time_s(road)
        return np.rint(road).astype(np.int64), np.rint(time).astype(np.int64)


@dataclass(frozen=True, slots=True)
class AreaTravelModel:
    """The travel model with its own circuity and speed in each area of the province.

    A trip between two areas takes the mean of both ends' circuity and of their pace
    (seconds per straight-line metre): a drive from the Campiña up to the Sierra runs half
    on each kind of road, as far as a model without a road network can tell. With no area
    listed it gives exactly the matrices of ``base``.

    Attributes:
        base: the model for areas not listed, and the overhead every trip pays.
        areas: ``(area, TravelModel)`` for each fitted area of :data:`geo.areas.AREAS`; their
            overhead must be the base's.
        fitted: what the parameters were fitted on (legs, date, source), for the record.
    """

    base: TravelModel = field(default_factory=TravelModel)
    areas: tuple[tuple[str, TravelModel], ...] = ()
    fitted: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        """Reject unknown or repeated areas and overheads that differ from the base's."""
        names = [name for name, _ in self.areas]
        for name, model in self.areas:
            if name not in AREAS:
                raise InvalidTravelModelError(
                    f"unknown area {name!r}; the areas are {', '.join(AREAS)}"
                )
            if model.overhead_s != self.base.overhead_s:
                raise InvalidTravelModelError(
                    f"area {name!r} has overhead {model.overhead_s} s, the base "
                    f"{self.base.overhead_s} s: one overhead applies to every trip"
                )
        if len(set(names)) != len(names):
            raise InvalidTravelModelError(f"an area is listed twice: {names}")

    def model_of(self, area: str) -> TravelModel:
        """Return the parameters used in one area (the base's where it was not fitted)."""
        return dict(self.areas).get(area, self.base)

    def _per_area(self) -> tuple[np.ndarray, np.ndarray]:
        """Return circuity and pace (s per straight-line metre) for each of AREAS."""
        models = [self.model_of(name) for name in AREAS]
        circuity = np.array([m.circuity for m in models])
        pace = np.array([m.circuity / (m.speed_kmh / 3.6) for m in models])
        return circuity, pace

    def pair_times(
        self, geodesic_m: np.ndarray, area_from: np.ndarray, area_to: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return (road metres, seconds) for trips given their straight-line length and areas.

        Args:
            geodesic_m: straight-line lengths in metres, any shape.
            area_from: position in :data:`geo.areas.AREAS` of each trip's start area.
            area_to: the same for each trip's end, broadcastable to ``geodesic_m``.

        Returns:
            Float arrays of road distance and driving time (0 for a trip of length 0).
        """
        circuity, pace = self._per_area()
        road = geodesic_m * (circuity[area_from] + circuity[area_to]) / 2
        moving = geodesic_m * (pace[area_from] + pace[area_to]) / 2
        return road, np.where(road > 0, moving + self.base.overhead_s, 0.0)

    def matrices(
        self, latitude: np.ndarray, longitude: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return (distance_m, time_s) integer N x N matrices for N points.

        Args:
            latitude: N latitudes in degrees.
            longitude: N longitudes in degrees.

        Returns:
            Two int64 arrays, symmetric with a zero diagonal, rounded to the metre / second.
        """
        area = area_numbers(latitude, longitude)
        road, time = self.pair_times(
            geodesic_matrix(latitude, longitude), area[:, None], area[None, :]
        )
        return np.rint(road).astype(np.int64), np.rint(time).astype(np.int64)


def save_travel_model(model: AreaTravelModel, path: str | os.PathLike[str]) -> Path:
    """Write a (calibrated) travel model as JSON, the file planning loads.

    Args:
        model: the model.
        path: destination, conventionally ``.json``.

    Returns:
        The path written.
    """
    path = Path(path)
    data = {
        "format": MODEL_FORMAT,
        "overhead_s": model.base.overhead_s,
        "base": {"circuity": model.base.circuity, "speed_kmh": model.base.speed_kmh},
        "areas": {
            name: {"circuity": m.circuity, "speed_kmh": m.speed_kmh} for name, m in model.areas
        },
        "fitted": dict(model.fitted),
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def load_travel_model(path: str | os.PathLike[str]) -> AreaTravelModel:
    """Read a travel model written by :func:`save_travel_model`, checking every parameter.

    Args:
        path: the JSON file.

    Returns:
        The model, usable as ``geo.ModelProvider(model)``.

    Raises:
        InvalidTravelModelError: the file is missing, not a model file, or a parameter makes
            no physical sense; the message names the file and the parameter.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidTravelModelError(f"{path}: cannot read a travel model ({error})") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise InvalidTravelModelError(f"{path}: not a travel model file ({MODEL_FORMAT!r})")
    try:
        overhead = float(data["overhead_s"])

        def model(values: Mapping[str, object]) -> TravelModel:
            return TravelModel(
                float(values["circuity"]),  # type: ignore[arg-type]
                float(values["speed_kmh"]),  # type: ignore[arg-type]
                overhead,
            )

        return AreaTravelModel(
            base=model(data["base"]),
            areas=tuple((str(name), model(values)) for name, values in data["areas"].items()),
            fitted=tuple((str(k), str(v)) for k, v in data.get("fitted", {}).items()),
        )
    except InvalidTravelModelError as error:
        raise InvalidTravelModelError(f"{path}: {error}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InvalidTravelModelError(f"{path}: malformed travel model ({error!r})") from None
