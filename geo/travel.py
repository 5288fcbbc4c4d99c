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
should export them as a matrix file and use :class:`geo.MatrixFileProvider`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from geo.distance import geodesic_matrix
from geo.errors import GeoError

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
