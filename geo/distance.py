"""Geodesic distances on the WGS84 ellipsoid: geopy for one pair, numpy for many.

geopy's ``geodesic`` (Karney's algorithm) is exact but costs tens of microseconds a pair,
too slow for the ~41,000 pairs of the 288 municipalities. :func:`geodesic_matrix` runs
Vincenty's inverse formula (1975) on whole numpy arrays instead; it agrees with geopy to
well under a millimetre at the scale of a province, and any pair that does not converge
(nearly antipodal points, never the case here) is handed to geopy.
"""

from __future__ import annotations

import numpy as np
from geopy.distance import geodesic

from geo.points import Located

# WGS84 ellipsoid (the same one geopy uses by default).
_A = 6_378_137.0
_F = 1 / 298.257223563
_B = (1 - _F) * _A
_MAX_ITERATIONS = 200
_TOLERANCE = 1e-12


def geodesic_m(a: Located | tuple[float, float], b: Located | tuple[float, float]) -> float:
    """Return the exact geodesic distance in metres between two points (geopy).

    Args:
        a: a located object or a ``(latitude, longitude)`` pair.
        b: the same.

    Returns:
        The WGS84 geodesic distance in metres.
    """
    return float(geodesic(_pair(a), _pair(b)).meters)


def _pair(point: Located | tuple[float, float]) -> tuple[float, float]:
    """Return (lat, lon) of a located object or pair."""
    if isinstance(point, tuple):
        return float(point[0]), float(point[1])
    return float(point.latitude), float(point.longitude)


def geodesic_pairs(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Return geodesic distances in metres between paired points, vectorised (Vincenty).

    (One function on purpose: Vincenty's inverse formula reads against its published form
    only when it is kept whole.)

    Args:
        lat1: latitudes of the first points, in degrees.
        lon1: their longitudes.
        lat2: latitudes of the second points, same shape.
        lon2: their longitudes.

    Returns:
        A float array of the same shape: metres on the WGS84 ellipsoid.
    """
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    big_l = np.radians(lon2 - lon1)
    u1 = np.arctan((1 - _F) * np.tan(phi1))
    u2 = np.arctan((1 - _F) * np.tan(phi2))
    sin_u1, cos_u1 = np.sin(u1), np.cos(u1)
    sin_u2, cos_u2 = np.sin(u2), np.cos(u2)

    lam = big_l.copy()
    active = np.ones(lam.shape, dtype=bool)
    sin_sigma = cos_sigma = sigma = cos_sq_alpha = cos_2sigma_m = np.zeros(lam.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(_MAX_ITERATIONS):
            sin_lam, cos_lam = np.sin(lam), np.cos(lam)
            sin_sigma = np.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
            cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
            sigma = np.arctan2(sin_sigma, cos_sigma)
            sin_alpha = np.where(sin_sigma == 0, 0.0, cos_u1 * cos_u2 * sin_lam / sin_sigma)
            cos_sq_alpha = 1 - sin_alpha**2
            cos_2sigma_m = np.where(
                cos_sq_alpha == 0, 0.0, cos_sigma - 2 * sin_u1 * sin_u2 / cos_sq_alpha
            )
            c = _F / 16 * cos_sq_alpha * (4 + _F * (4 - 3 * cos_sq_alpha))
            new_lam = big_l + (1 - c) * _F * sin_alpha * (
                sigma + c * sin_sigma * (cos_2sigma_m + c * cos_sigma * (-1 + 2 * cos_2sigma_m**2))
            )
            active = np.abs(new_lam - lam) > _TOLERANCE
            lam = new_lam
            if not active.any():
                break

        u_sq = cos_sq_alpha * (_A**2 - _B**2) / _B**2
        big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
        big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
        delta_sigma = (
            big_b
            * sin_sigma
            * (
                cos_2sigma_m
                + big_b
                / 4
                * (
                    cos_sigma * (-1 + 2 * cos_2sigma_m**2)
                    - big_b
                    / 6
                    * cos_2sigma_m
                    * (-3 + 4 * sin_sigma**2)
                    * (-3 + 4 * cos_2sigma_m**2)
                )
            )
        )
        distance = _B * big_a * (sigma - delta_sigma)
    distance = np.where(sin_sigma == 0, 0.0, distance)
    stuck = active | ~np.isfinite(distance)
    for index in zip(*np.nonzero(stuck), strict=True):
        distance[index] = geodesic((lat1[index], lon1[index]), (lat2[index], lon2[index])).meters
    return np.asarray(distance, dtype=np.float64)


def geodesic_matrix(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    """Return the symmetric N x N matrix of geodesic distances in metres, zero diagonal.

    Args:
        latitude: N latitudes in degrees.
        longitude: N longitudes in degrees.

    Returns:
        A float64 N x N array, exactly symmetric (each pair is computed once).
    """
    n = len(latitude)
    matrix = np.zeros((n, n), dtype=np.float64)
    if n < 2:
        return matrix
    rows, cols = np.triu_indices(n, k=1)
    upper = geodesic_pairs(latitude[rows], longitude[rows], latitude[cols], longitude[cols])
    matrix[rows, cols] = upper
    matrix[cols, rows] = upper
    return matrix
