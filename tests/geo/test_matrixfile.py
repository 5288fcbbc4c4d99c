"""Precomputed travel matrix files: validation on load and overriding the model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from geo.errors import MatrixFileError
from geo.gazetteer import Municipality, municipality
from geo.matrixfile import MatrixFileProvider
from geo.matrixread import load_matrix_file
from geo.matrixwrite import write_matrix_file
from geo.points import PointLike
from geo.providers import ModelProvider, travel_matrix

GUADALAJARA, SIGUENZA, MOLINA, BRIHUEGA = "19130", "19257", "19190", "19053"
HEADER = "from,to,distance_m,time_s\n"


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[[str], Path]:
    """Write CSV text to a fresh file and return its path."""

    def write(text: str, name: str = "matrix.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_npz(tmp_path: Path) -> Callable[..., Path]:
    """Write arrays to a fresh .npz, with defaults for a valid 2-place file."""

    def write(**arrays: object) -> Path:
        base: dict[str, object] = {
            "keys": np.array([GUADALAJARA, SIGUENZA]),
            "distance_m": np.array([[0, 76_000], [77_000, 0]]),
            "time_s": np.array([[0, 3_300], [3_400, 0]]),
        }
        base.update(arrays)
        path = tmp_path / "matrix.npz"
        np.savez(path, **{k: v for k, v in base.items() if v is not None})  # type: ignore[arg-type]
        return path

    return write


CSV_DEFECTS = [
    ("", "file is empty"),
    ("origin,destination,metres,seconds\n19130,19257,1,1\n", "line 1: bad header"),
    (HEADER, "holds no pairs"),
    (HEADER + "19130,19257,76000\n", "line 2: expected 4 fields, got 3"),
    (HEADER + "19130,19257,76000,3300\n,19257,1,1\n", "line 3: missing place key in column 'from'"),
    (HEADER + "19130,99999,76000,3300\n", "line 2: unknown place '99999' in column 'to'"),
    (HEADER + "19130,19257,far,3300\n", "line 2: distance_m 'far' is not a number"),
    (HEADER + "19130,19257,nan,3300\n", "line 2: distance_m 'nan' is not finite"),
    (HEADER + "19130,19257,76000,inf\n", "line 2: time_s 'inf' is not finite"),
    (HEADER + "19130,19257,-5,3300\n", "line 2: distance_m '-5' is negative"),
    (
        HEADER + "19130,19257,76000,3300\n19257,19130,1,1\n19130,19257,75000,3200\n",
        "line 4: duplicate pair 19130 -> 19257, first given on line 2",
    ),
    (HEADER + "19130,19130,10,5\n", "line 2: a place to itself ('19130') must be 0 m and 0 s"),
]


@pytest.mark.parametrize(("text", "problem"), CSV_DEFECTS)
def test_broken_csv_is_rejected_naming_the_problem(
    write_csv: Callable[[str], Path], text: str, problem: str
) -> None:
    """Each kind of CSV defect raises MatrixFileError naming the file, line and problem."""
    path = write_csv(text)
    with pytest.raises(MatrixFileError) as caught:
        MatrixFileProvider(path)
    assert problem in str(caught.value)
    assert str(path) in str(caught.value)


def test_csv_that_is_not_utf8_is_rejected(tmp_path: Path) -> None:
    """A CSV in another encoding is refused rather than misread."""
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "19130,19257,76000,3300 \xe9\n").encode("latin-1"))
    with pytest.raises(MatrixFileError, match="not UTF-8"):
        MatrixFileProvider(path)


NPZ_DEFECTS = [
    ({"time_s": None}, "lacks array(s) time_s"),
    ({"keys": np.array([[GUADALAJARA, SIGUENZA]])}, "keys must be a 1-D array"),
    ({"keys": np.array([1.5, 2.5])}, "keys must be strings or integers"),
    (
        {"keys": np.array([GUADALAJARA, GUADALAJARA])},
        "duplicate key '19130' at keys[0] and keys[1]",
    ),
    ({"keys": np.array([GUADALAJARA, ""])}, "keys[1] is empty"),
    ({"keys": np.array([GUADALAJARA, "28079"])}, "unknown place '28079' at keys[1]"),
    ({"distance_m": np.zeros((2, 3))}, "distance_m must be a square N x N array, got shape (2, 3)"),
    ({"time_s": np.zeros((3, 3))}, "time_s has shape (3, 3) but there are 2 keys"),
    ({"time_s": np.array([[0, np.nan], [1, 0]])}, "time_s[0, 1] (19130 -> 19257) is not finite"),
    ({"distance_m": np.array([[0, 1], [-1, 0]])}, "distance_m[1, 0] (19257 -> 19130) is negative"),
    ({"distance_m": np.array([[0, 1], [1, 9]])}, "distance_m[1, 1] (19257 to itself) must be 0"),
    ({"time_s": np.array([["0", "1"], ["1", "0"]])}, "time_s must hold numbers"),
    (
        {"keys": np.array([GUADALAJARA, None], dtype=object)},
        "pickled (object) arrays, which are refused",
    ),
]


@pytest.mark.parametrize(("arrays", "problem"), NPZ_DEFECTS)
def test_broken_npz_is_rejected_naming_the_problem(
    write_npz: Callable[..., Path], arrays: dict[str, object], problem: str
) -> None:
    """Each kind of NPZ defect raises MatrixFileError naming the array, key or cell."""
    with pytest.raises(MatrixFileError) as caught:
        MatrixFileProvider(write_npz(**arrays))
    assert problem in str(caught.value)


def test_npz_that_is_not_an_archive_is_rejected(tmp_path: Path) -> None:
    """A file named .npz that is not a numpy archive is refused."""
    path = tmp_path / "matrix.npz"
    path.write_text("from,to\n", encoding="utf-8")
    with pytest.raises(MatrixFileError, match=r"not a valid \.npz archive"):
        MatrixFileProvider(path)


@pytest.mark.parametrize(("name", "problem"), [("m.json", "unsupported"), ("m.csv", "no such")])
def test_missing_or_unsupported_file_is_rejected(tmp_path: Path, name: str, problem: str) -> None:
    """A missing file or an unknown suffix is an error, never a silent fallback to the model."""
    with pytest.raises(MatrixFileError, match=problem):
        MatrixFileProvider(tmp_path / name)


def test_csv_overrides_the_model_for_its_pairs_only(write_csv: Callable[[str], Path]) -> None:
    """A good CSV replaces the model for the ordered pairs it lists; other pairs are the model's."""
    path = write_csv(HEADER + "19130,19257,76000,3300\n19257,19130,77000,3400\n")
    places = [municipality(code) for code in (GUADALAJARA, SIGUENZA, MOLINA)]
    distance, time = travel_matrix(places, MatrixFileProvider(path))
    model_distance, model_time = travel_matrix(places, ModelProvider())
    assert (distance[0, 1], time[0, 1]) == (76_000, 3_300)
    assert (distance[1, 0], time[1, 0]) == (77_000, 3_400)
    untouched = np.ones((3, 3), dtype=bool)
    untouched[0, 1] = untouched[1, 0] = False
    assert np.array_equal(distance[untouched], model_distance[untouched])
    assert np.array_equal(time[untouched], model_time[untouched])
    assert distance.dtype == time.dtype == np.int64


def test_npz_overrides_the_model_and_pairs_without_key_use_the_model(
    write_npz: Callable[..., Path],
) -> None:
    """Keyed points take the NPZ values; a bare (lat, lon) pair has no key, so the model applies."""
    siguenza = municipality(SIGUENZA)
    bare = (siguenza.latitude, siguenza.longitude)
    points: list[PointLike] = [municipality(GUADALAJARA), siguenza, bare]
    distance, time = travel_matrix(points, MatrixFileProvider(write_npz()))
    model_distance, _ = travel_matrix(points, ModelProvider())
    assert distance[0, 1] == 76_000
    assert time[1, 0] == 3_400
    assert distance[0, 2] == model_distance[0, 2]
    assert distance[1, 2] == 0


def test_without_fallback_a_missing_pair_is_an_error(write_csv: Callable[[str], Path]) -> None:
    """With fallback=None a pair the file lacks raises, naming the pair."""
    path = write_csv(HEADER + "19130,19257,76000,3300\n19257,19130,77000,3400\n")
    provider = MatrixFileProvider(path, fallback=None)
    pair = [municipality(GUADALAJARA), municipality(SIGUENZA)]
    assert provider.matrix(pair).time_s.tolist() == [[0, 3_300], [3_400, 0]]
    with pytest.raises(MatrixFileError, match="no travel time for 19130 -> 19190"):
        provider.matrix([*pair, municipality(MOLINA)])
    with pytest.raises(MatrixFileError, match=r"19130 -> point 1 \(no key\)"):
        provider.matrix([pair[0], (40.0, -3.0)])


@dataclass(frozen=True)
class Stop:
    """A database place: an integer id and coordinates."""

    key: int
    latitude: float
    longitude: float


def test_files_keyed_by_place_id(write_csv: Callable[[str], Path]) -> None:
    """A file keyed by database ids works once those ids are declared as known keys."""
    path = write_csv(HEADER + "7,9,1234,150\n")
    with pytest.raises(MatrixFileError, match="unknown place '7'"):
        MatrixFileProvider(path)
    provider = MatrixFileProvider(path, known_keys=[7, 9, 11])
    stops = [Stop(7, 40.63, -3.16), Stop(9, 40.64, -3.17)]
    assert provider.matrix(stops).distance_m[0, 1] == 1_234
    assert provider.keys == ("7", "9")


@pytest.mark.parametrize("suffix", [".csv", ".npz"])
def test_written_files_load_back(
    tmp_path: Path, suffix: str, places: tuple[Municipality, ...]
) -> None:
    """write_matrix_file output loads back to the same matrix in both formats."""
    chosen = [municipality(code) for code in (GUADALAJARA, SIGUENZA, MOLINA, BRIHUEGA)]
    distance, time = travel_matrix(chosen, ModelProvider())
    path = write_matrix_file(tmp_path / f"m{suffix}", [p.ine_code for p in chosen], distance, time)
    table = load_matrix_file(path)
    order = [table.keys.index(p.ine_code) for p in chosen]
    assert np.array_equal(table.distance_m[np.ix_(order, order)], distance)
    assert np.array_equal(table.time_s[np.ix_(order, order)], time)


def test_write_rejects_arrays_that_do_not_fit(tmp_path: Path) -> None:
    """Writing arrays whose shape does not match the keys is refused."""
    with pytest.raises(MatrixFileError, match="do not fit 3 keys"):
        write_matrix_file(tmp_path / "m.npz", ["a", "b", "c"], np.zeros((2, 2)), np.zeros((2, 2)))


def test_csv_with_bom_and_blank_lines_is_accepted(tmp_path: Path) -> None:
    """A spreadsheet-exported CSV with a byte-order mark and a trailing blank line loads."""
    path = tmp_path / "excel.csv"
    path.write_text("\ufeff" + HEADER + "19130,19257,76000.4,3300.6\n\n", encoding="utf-8")
    provider = MatrixFileProvider(path)
    matrix = provider.matrix([municipality(GUADALAJARA), municipality(SIGUENZA)])
    assert (matrix.distance_m[0, 1], matrix.time_s[0, 1]) == (76_000, 3_301)
