"""Drives generated on a hidden "true" road network that nobody tuned the model to.

The truth's pace is the travel model's times a terrain factor of each end (a leg takes the
mean of its two ends'). Two terrains:

* :func:`by_area` (the issue's test): the factor is the area's (geo.areas) - 30-35% slower
  in the Sierra and the Señorío de Molina, 20% faster on the A-2 corridor, the rest in
  between - times each village's own factor (log-normal, 6%: its access road), which no
  per-area model can see.
* :func:`by_geography`: rules of its own that do not follow geo.areas at all - 30% slower
  north of 41.0° or east of -2.35°, 20% faster within 8 km of the A-2 (Azuqueca -
  Guadalajara - Torija - Almadrones - Algora - Alcolea del Pinar), 8% slower elsewhere.

On both, each pair's road has its own detour (log-normal, 5%) and trips pay 2.5 minutes of
overhead. Observations add the noise of marking a stop (45 s) and bad marks: 6% marked
10-35 minutes late, 2% a few minutes early.

``python -m tests.geo.drives --out legs.csv`` writes such drives (by area) as the legs file
``rural-cars geo calibrate --legs`` reads, for the travel-sources benchmark (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geo.areas import A2 as A2_AREA
from geo.areas import ALCARRIA_ALTA, ALCARRIA_BAJA, CAMPINA, MOLINA, SIERRA, area_of
from geo.distance import geodesic_m
from geo.gazetteer import Municipality, gazetteer
from geo.legs import Leg

Terrain = Callable[[Municipality], float]
AREA_FACTORS = {
    A2_AREA: 0.8,
    CAMPINA: 1.0,
    ALCARRIA_ALTA: 1.1,
    ALCARRIA_BAJA: 1.05,
    SIERRA: 1.3,
    MOLINA: 1.35,
}

A2 = [
    (40.568426, -3.262158),
    (40.634355, -3.162103),
    (40.743947, -3.032728),
    (40.901091, -2.774681),
    (40.964519, -2.667235),
    (41.036003, -2.467147),
]
KM_PER_DEG_LAT = 111.2
KM_PER_DEG_LON = 111.2 * math.cos(math.radians(40.8))


def _km_to_a2(lat: float, lon: float) -> float:
    """Distance in km from a point to the A-2 polyline (flat projection, fine at this scale)."""
    px, py = lon * KM_PER_DEG_LON, lat * KM_PER_DEG_LAT
    best = math.inf
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(A2):
        ax, ay = lon1 * KM_PER_DEG_LON, lat1 * KM_PER_DEG_LAT
        bx, by = lon2 * KM_PER_DEG_LON, lat2 * KM_PER_DEG_LAT
        t = ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
        t = min(1.0, max(0.0, t))
        best = min(best, math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay)))
    return best


def by_area(place: Municipality) -> float:
    """The truth's slowness at a place: its area's factor times its village's own."""
    village = np.random.default_rng(zlib.crc32(place.ine_code.encode())).lognormal(0.0, 0.06)
    return AREA_FACTORS[area_of(place.latitude, place.longitude)] * float(village)


def by_geography(place: Municipality) -> float:
    """The truth's slowness at a place, by rules that ignore geo.areas."""
    if place.latitude > 41.0 or place.longitude > -2.35:
        return 1.3
    if _km_to_a2(place.latitude, place.longitude) < 8.0:
        return 0.8
    return 1.08


@dataclass(frozen=True)
class Drive:
    """A leg as observed, with the true time the observation was noisy about."""

    leg: Leg
    true_s: float


def drives(
    count: int, seed: int, terrain: Terrain, avoid: set[frozenset[str]] | None = None
) -> list[Drive]:
    """Generate `count` observed drives between municipalities at most 70 km apart.

    Pairs in `avoid` (unordered) are not drawn, so held-out legs are legs the fit never saw.
    """
    rng = np.random.default_rng(seed)
    places = gazetteer()
    out: list[Drive] = []
    while len(out) < count:
        a, b = (places[i] for i in rng.choice(len(places), size=2, replace=False))
        pair = frozenset((a.ine_code, b.ine_code))
        if avoid is not None and pair in avoid:
            continue
        distance = geodesic_m(a, b)
        if distance > 70_000:
            continue
        true_s, _metres = true_leg(a, b, terrain)
        observed = true_s + rng.normal(0.0, 45.0)
        mark = rng.random()
        if mark < 0.06:
            observed += rng.uniform(10, 35) * 60
        elif mark < 0.08:
            observed -= rng.uniform(2, 6) * 60
        out.append(Drive(Leg(a.ine_code, b.ine_code, max(observed, 60.0)), true_s))
    return out


def true_leg(a: Municipality, b: Municipality, terrain: Terrain) -> tuple[float, float]:
    """The hidden road between two municipalities: (seconds, metres), the same both ways."""
    pair_seed = sorted(int(code) for code in (a.ine_code, b.ine_code))
    detour = float(np.random.default_rng(pair_seed).lognormal(0.0, 0.05))
    metres = geodesic_m(a, b) * 1.32 * detour
    return 150 + metres / (68 / 3.6) * (terrain(a) + terrain(b)) / 2, metres


def write_legs(path: Path, legs: list[Leg]) -> Path:
    """Write legs as the CSV ``rural-cars geo calibrate --legs`` reads."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("from", "to", "seconds"))
        for leg in legs:
            writer.writerow((leg.origin, leg.destination, f"{leg.seconds:.0f}"))
    return path


def main(argv: list[str] | None = None) -> None:
    """Write generated drives on the by-area truth as a legs CSV; print what was written."""
    parser = argparse.ArgumentParser(prog="python -m tests.geo.drives", description=main.__doc__)
    parser.add_argument("--out", type=Path, required=True, help="the legs CSV to write")
    parser.add_argument("--count", type=int, default=1500, help="drives [1500]")
    parser.add_argument("--seed", type=int, default=18, help="seed of the drives [18]")
    args = parser.parse_args(argv)
    legs = [drive.leg for drive in drives(args.count, args.seed, by_area)]
    write_legs(args.out, legs)
    print(f"{args.out}: {len(legs)} drives on the hidden roads (by area), seed {args.seed}")


if __name__ == "__main__":
    main()
