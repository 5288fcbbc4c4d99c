"""Geodesic distances and the rural road travel model."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.distance import geodesic_m, geodesic_matrix, geodesic_pairs
from geo.errors import GeoError, InvalidPointError
from geo.gazetteer import Municipality
from geo.providers import (
    ModelProvider,
    TravelMatrix,
    clear_caches,
    configure,
    default_provider,
    travel_matrix,
)
from geo.travel import (
    DEFAULT_CIRCUITY,
    DEFAULT_OVERHEAD_S,
    DEFAULT_SPEED_KMH,
    InvalidTravelModelError,
    TravelModel,
)

# Real extent of the province (data README).
LATITUDES = st.floats(40.152, 41.328)
LONGITUDES = st.floats(-3.541, -1.536)


@pytest.fixture
def model_matrix(places: tuple[Municipality, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The default model's 288 x 288 (distance_m, time_s)."""
    return travel_matrix(places, ModelProvider())


@pytest.fixture
def restore_default() -> Iterator[None]:
    """Put the process-wide provider back to the model after a test changes it."""
    yield
    configure(None)


def test_matrix_is_int64_symmetric_with_zero_diagonal(
    model_matrix: tuple[np.ndarray, np.ndarray],
) -> None:
    """Model matrices are 288 x 288 int64, symmetric, zero on the diagonal, positive elsewhere."""
    for matrix in model_matrix:
        assert matrix.shape == (288, 288)
        assert matrix.dtype == np.int64
        assert np.array_equal(matrix, matrix.T)
        assert not np.diagonal(matrix).any()
        off_diagonal = matrix[~np.eye(288, dtype=bool)]
        assert (off_diagonal > 0).all()


def test_triangle_inequality_holds(model_matrix: tuple[np.ndarray, np.ndarray]) -> None:
    """No detour through a third place is shorter or quicker than the direct trip (±1 rounding)."""
    for matrix in model_matrix:
        for via in range(matrix.shape[0]):
            through = matrix[:, via][:, None] + matrix[via, :][None, :]
            assert (matrix <= through + 1).all(), via


def test_distances_match_geopy_times_circuity(
    model_matrix: tuple[np.ndarray, np.ndarray], places: tuple[Municipality, ...]
) -> None:
    """Sample pairs equal geopy's geodesic x circuity, and time follows speed plus overhead."""
    distance, travel_time = model_matrix
    rng = np.random.default_rng(3)
    for i, j in rng.integers(0, len(places), size=(200, 2)):
        if i == j:
            continue
        road = geodesic_m(places[i], places[j]) * DEFAULT_CIRCUITY
        assert distance[i, j] == pytest.approx(road, abs=1)
        expected = road / (DEFAULT_SPEED_KMH / 3.6) + DEFAULT_OVERHEAD_S
        assert travel_time[i, j] == pytest.approx(expected, abs=1)


def test_known_pair_guadalajara_siguenza(guadalajara: Municipality, siguenza: Municipality) -> None:
    """Guadalajara-Sigüenza: about 65 km as the crow flies, about 85 km and 80 min by the model."""
    distance, travel_time = travel_matrix([guadalajara, siguenza])
    assert geodesic_m(guadalajara, siguenza) == pytest.approx(65_000, rel=0.02)
    assert distance[0, 1] == pytest.approx(85_000, rel=0.02)
    assert travel_time[0, 1] / 60 == pytest.approx(80, abs=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(LATITUDES, LONGITUDES), min_size=2, max_size=12))
def test_random_points_in_the_province(points: list[tuple[float, float]]) -> None:
    """For random points in the province the model agrees with geopy (<0.1 %) and is a metric."""
    distance, travel_time = travel_matrix(points, ModelProvider())
    n = len(points)
    assert np.array_equal(distance, distance.T)
    assert np.array_equal(travel_time, travel_time.T)
    assert not np.diagonal(distance).any()
    for i in range(n):
        for j in range(i + 1, n):
            expected = geodesic(points[i], points[j]).meters * DEFAULT_CIRCUITY
            assert abs(distance[i, j] - expected) <= max(1.0, 1e-3 * expected)
    for via in range(n):
        assert (distance <= distance[:, via][:, None] + distance[via, :][None, :] + 1).all()


def test_vectorised_geodesic_matches_geopy_far_and_near() -> None:
    """The numpy formula matches geopy across the world, incl. nearly antipodal pairs."""
    lat1 = np.array([40.6, 0.0, 10.0, -33.9, 41.0675])
    lon1 = np.array([-3.2, 0.0, 0.0, 151.2, -2.640646])
    lat2 = np.array([41.1, 0.5, -10.0, 51.5, 41.0675])
    lon2 = np.array([-2.6, 179.7, 180.0, -0.1, -2.640646])
    ours = geodesic_pairs(lat1, lon1, lat2, lon2)
    for k in range(len(ours)):
        exact = geodesic((lat1[k], lon1[k]), (lat2[k], lon2[k])).meters
        assert ours[k] == pytest.approx(exact, rel=1e-6, abs=1e-3)


def test_full_matrix_builds_fast_and_is_cached(places: tuple[Municipality, ...]) -> None:
    """The 288 x 288 matrix builds cold in well under a second; a repeat is served from cache."""
    clear_caches()
    start = time.perf_counter()
    first = travel_matrix(places, ModelProvider())
    cold = time.perf_counter() - start
    start = time.perf_counter()
    second = travel_matrix(places, ModelProvider())
    warm = time.perf_counter() - start
    assert cold < 0.5
    assert second[0] is first[0]
    assert warm < cold


def test_cached_matrices_are_read_only(places: tuple[Municipality, ...]) -> None:
    """Callers cannot corrupt the shared cached matrix by writing into it."""
    distance, _ = travel_matrix(places[:3])
    with pytest.raises(ValueError, match="read-only"):
        distance[0, 1] = 5


def test_points_may_be_pairs_objects_or_municipalities(siguenza: Municipality) -> None:
    """A municipality, an object with coordinates and a (lat, lon) pair at one spot are 0 apart."""

    class Stop:
        latitude = siguenza.latitude
        longitude = siguenza.longitude

    distance, travel_time = travel_matrix(
        [siguenza, Stop(), (siguenza.latitude, siguenza.longitude)]
    )
    assert not distance.any()
    assert not travel_time.any()


def test_empty_and_single_point_lists() -> None:
    """No points give 0 x 0 matrices; one point a single zero."""
    assert travel_matrix([])[0].shape == (0, 0)
    assert travel_matrix([(40.6, -3.2)])[1].tolist() == [[0]]


@pytest.mark.parametrize(
    ("point", "problem"),
    [
        ((float("nan"), -3.0), "non-finite"),
        ((91.0, -3.0), "outside"),
        (("north", -3.0), "non-numeric"),
        (object(), "neither"),
    ],
)
def test_bad_points_are_rejected(point: object, problem: str) -> None:
    """A point without usable coordinates is rejected, naming its position and the problem."""
    with pytest.raises(InvalidPointError, match=problem) as caught:
        travel_matrix([(40.6, -3.2), point])  # type: ignore[list-item]
    assert "point 1" in str(caught.value)


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"circuity": 0.9}, "circuity"),
        ({"speed_kmh": 0}, "speed_kmh"),
        ({"overhead_s": -1}, "overhead_s"),
        ({"speed_kmh": float("inf")}, "speed_kmh"),
    ],
)
def test_travel_model_rejects_nonsense(params: dict[str, float], problem: str) -> None:
    """Model parameters that make no physical sense are rejected by name."""
    with pytest.raises(InvalidTravelModelError, match=problem):
        TravelModel(**params)


def test_model_parameters_change_the_matrix(places: tuple[Municipality, ...]) -> None:
    """A faster, straighter model without overhead gives proportionally shorter trips."""
    base = ModelProvider().matrix(places[:5])
    plain = ModelProvider(TravelModel(circuity=1.0, speed_kmh=36.0, overhead_s=0)).matrix(
        places[:5]
    )
    assert plain.distance_m[0, 1] == pytest.approx(base.distance_m[0, 1] / DEFAULT_CIRCUITY, abs=1)
    assert plain.time_s[0, 1] == pytest.approx(plain.distance_m[0, 1] / 10, abs=1)


def test_configure_sets_the_process_default(
    restore_default: None, places: tuple[Municipality, ...]
) -> None:
    """configure() sets what travel_matrix uses by default; configure(None) restores the model."""
    slow = ModelProvider(TravelModel(speed_kmh=30))
    configure(slow)
    assert default_provider() is slow
    assert travel_matrix(places[:2])[1][0, 1] == slow.matrix(places[:2]).time_s[0, 1]
    configure(None)
    assert isinstance(default_provider(), ModelProvider)
    with pytest.raises(TypeError, match="not a travel time provider"):
        configure(object())  # type: ignore[arg-type]


def test_travel_matrix_rejects_mismatched_arrays() -> None:
    """A provider cannot hand back arrays of different shapes."""
    with pytest.raises(GeoError, match="N x N"):
        TravelMatrix(np.zeros((2, 2), dtype=np.int64), np.zeros((2, 3), dtype=np.int64))


def test_geodesic_matrix_of_one_point() -> None:
    """A single point has a 1 x 1 zero matrix."""
    assert geodesic_matrix(np.array([40.0]), np.array([-3.0])).tolist() == [[0.0]]
