"""Precomputed travel matrices from a routing engine, read from a file and checked.

Two formats, chosen by the file's suffix:

* ``.csv``: long format, UTF-8, header ``from,to,distance_m,time_s``, one row per ordered
  pair; pairs not listed are left to the fallback provider.
* ``.npz``: numpy archive with ``keys`` (N strings or integers), ``distance_m`` and
  ``time_s`` (N x N numbers, every pair given); written without pickling.

Either may carry its provenance (:class:`MatrixProvenance`: engine, URL, dates, places and
the pairs the engine could not route): in a CSV as a first line ``# provenance: {json}``,
in an NPZ as a ``provenance`` array holding the same JSON text. Files without it still load.

Keys are INE codes (the default) or any place ids the caller declares with ``known_keys``.
A file is validated in full when loaded; any defect raises :class:`MatrixFileError` naming
it and where it is. A broken file never silently falls back to the model.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geo.errors import MatrixFileError
from geo.gazetteer import gazetteer
from geo.points import Place, PointLike, PointSet, as_points
from geo.providers import ModelProvider, TravelMatrix, TravelTimeProvider

CSV_HEADER = ("from", "to", "distance_m", "time_s")
NPZ_ARRAYS = ("keys", "distance_m", "time_s")
CSV_PROVENANCE = "# provenance: "
PROVENANCE_FORMAT = "rural-cars matrix provenance 1"
_MODEL = ModelProvider()


@dataclass(frozen=True, slots=True)
class MatrixProvenance:
    """Where a matrix file's numbers came from, so a plan can name the times it was built on.

    It also makes updates incremental: a place whose key and coordinates are already in the
    file keeps its row and column; only new or moved places are sent to the engine again.

    Attributes:
        engine: the routing engine (``"osrm"``, ``"valhalla"``).
        url: its base URL at the last update.
        profile: the engine's profile or costing (``"driving"``, ``"auto"``).
        created: ISO 8601 UTC time of the first computation.
        updated: ISO 8601 UTC time of the last (incremental) update.
        places: every row's place (key, name, coordinates sent to the engine), in file order.
        estimated: ordered pairs the engine found no road for, filled from the travel model
            because the operator allowed it (``--allow-unroutable``).
    """

    engine: str
    url: str
    profile: str
    created: str
    updated: str
    places: tuple[Place, ...]
    estimated: tuple[tuple[str, str], ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """The place keys, in file order."""
        return tuple(place.key for place in self.places)

    def to_json(self) -> str:
        """Return the provenance as one line of JSON (what the file stores)."""
        return json.dumps(
            {
                "format": PROVENANCE_FORMAT,
                "engine": self.engine,
                "url": self.url,
                "profile": self.profile,
                "created": self.created,
                "updated": self.updated,
                "places": [
                    {"id": p.key, "name": p.name, "lat": p.latitude, "lon": p.longitude}
                    for p in self.places
                ],
                "estimated": [list(pair) for pair in self.estimated],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str, where: str) -> MatrixProvenance:
        """Read provenance JSON, naming ``where`` (file and line) in any error."""
        try:
            data = json.loads(text)
            if data.get("format") != PROVENANCE_FORMAT:
                raise MatrixFileError(
                    f"{where}: provenance format {data.get('format')!r}, "
                    f"expected {PROVENANCE_FORMAT!r}"
                )
            places = tuple(
                Place(str(p["id"]), str(p["name"]), float(p["lat"]), float(p["lon"]))
                for p in data["places"]
            )
            estimated = tuple((str(a), str(b)) for a, b in data.get("estimated", ()))
            return cls(
                engine=str(data["engine"]),
                url=str(data["url"]),
                profile=str(data["profile"]),
                created=str(data["created"]),
                updated=str(data["updated"]),
                places=places,
                estimated=estimated,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            if isinstance(error, MatrixFileError):
                raise
            raise MatrixFileError(f"{where}: unreadable provenance ({error!r})") from None


@dataclass(frozen=True, slots=True)
class MatrixTable:
    """A loaded matrix file: keys and dense matrices, NaN where the file gives no value."""

    keys: tuple[str, ...]
    distance_m: np.ndarray
    time_s: np.ndarray
    provenance: MatrixProvenance | None = None

    @property
    def index(self) -> dict[str, int]:
        """Map each key to its row."""
        return {key: row for row, key in enumerate(self.keys)}


def _known(known_keys: Iterable[object] | None) -> frozenset[str]:
    """Return the keys a file may use: the caller's, or the gazetteer's INE codes."""
    if known_keys is None:
        return frozenset(place.ine_code for place in gazetteer())
    return frozenset(str(key) for key in known_keys)


def _number(text: str, column: str, where: str) -> float:
    """Parse one CSV value, rejecting text, non-finite and negative numbers."""
    try:
        value = float(text)
    except ValueError:
        raise MatrixFileError(f"{where}: {column} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise MatrixFileError(f"{where}: {column} {text!r} is not finite")
    if value < 0:
        raise MatrixFileError(f"{where}: {column} {text!r} is negative")
    return value


def _read_csv(path: Path, known: frozenset[str] | None) -> MatrixTable:
    """Read and check a long-format CSV matrix file."""
    pairs: dict[tuple[str, str], tuple[float, float, int]] = {}
    provenance = None
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
            offset = 0
            if text.startswith(CSV_PROVENANCE):
                head, _, text = text.partition("\n")
                provenance = MatrixProvenance.from_json(
                    head.removeprefix(CSV_PROVENANCE), f"{path}: line 1"
                )
                offset = 1
            reader = csv.reader(io.StringIO(text, newline=""))
            header = next(reader, None)
            if header is None:
                raise MatrixFileError(
                    f"{path}: file is empty, expected header {','.join(CSV_HEADER)}"
                )
            if tuple(field.strip() for field in header) != CSV_HEADER:
                raise MatrixFileError(
                    f"{path}: line {1 + offset}: bad header {','.join(header)!r}, "
                    f"expected {','.join(CSV_HEADER)!r}"
                )
            for row in reader:
                line = reader.line_num + offset
                where = f"{path}: line {line}"
                if not row or not any(field.strip() for field in row):
                    continue
                if len(row) != len(CSV_HEADER):
                    raise MatrixFileError(f"{where}: expected 4 fields, got {len(row)}")
                origin, destination = row[0].strip(), row[1].strip()
                for column, key in (("from", origin), ("to", destination)):
                    if not key:
                        raise MatrixFileError(f"{where}: missing place key in column {column!r}")
                    if known is not None and key not in known:
                        raise MatrixFileError(
                            f"{where}: unknown place {key!r} in column {column!r}"
                        )
                distance = _number(row[2].strip(), "distance_m", where)
                time = _number(row[3].strip(), "time_s", where)
                if origin == destination and (distance or time):
                    raise MatrixFileError(
                        f"{where}: a place to itself ({origin!r}) must be 0 m and 0 s"
                    )
                if (origin, destination) in pairs:
                    first = pairs[(origin, destination)][2]
                    raise MatrixFileError(
                        f"{where}: duplicate pair {origin} -> {destination}, "
                        f"first given on line {first}"
                    )
                pairs[(origin, destination)] = (distance, time, line)
    except UnicodeDecodeError as error:
        raise MatrixFileError(f"{path}: not UTF-8 text ({error.reason})") from None
    if not pairs:
        raise MatrixFileError(f"{path}: holds no pairs, only a header")
    keys = tuple(sorted({key for pair in pairs for key in pair}))
    index = {key: row for row, key in enumerate(keys)}
    distance_m = np.full((len(keys), len(keys)), np.nan)
    time_s = np.full((len(keys), len(keys)), np.nan)
    for (origin, destination), (distance, time, _) in pairs.items():
        distance_m[index[origin], index[destination]] = distance
        time_s[index[origin], index[destination]] = time
    np.fill_diagonal(distance_m, 0.0)
    np.fill_diagonal(time_s, 0.0)
    if provenance is not None:
        order = [index[key] for key in provenance.keys if key in index]
        if len(order) == len(keys):  # keep the file's own order; checked in _checked
            keys = tuple(keys[row] for row in order)
            distance_m = distance_m[np.ix_(order, order)]
            time_s = time_s[np.ix_(order, order)]
    return _checked(path, MatrixTable(keys, distance_m, time_s, provenance))


def _checked(path: Path, table: MatrixTable) -> MatrixTable:
    """Check that a table's provenance describes exactly its places."""
    if table.provenance is None:
        return table
    described = table.provenance.keys
    if sorted(described) != sorted(table.keys) or len(set(described)) != len(described):
        extra = sorted(set(described) - set(table.keys))
        lacking = sorted(set(table.keys) - set(described))
        raise MatrixFileError(
            f"{path}: provenance does not describe the file's places "
            f"(described but not in the matrix: {extra[:5]}; in the matrix but not "
            f"described: {lacking[:5]}; {len(described)} described, {len(table.keys)} in it)"
        )
    for a, b in table.provenance.estimated:
        if a not in described or b not in described:
            raise MatrixFileError(f"{path}: provenance estimates unknown pair {a} -> {b}")
    return table


def _npz_keys(path: Path, raw: np.ndarray, known: frozenset[str] | None) -> tuple[str, ...]:
    """Check the keys array of an NPZ file and return the keys as text."""
    if raw.ndim != 1:
        raise MatrixFileError(f"{path}: keys must be a 1-D array, got shape {raw.shape}")
    if raw.dtype.kind not in "Uiu":
        raise MatrixFileError(f"{path}: keys must be strings or integers, got dtype {raw.dtype}")
    keys = tuple(str(key).strip() for key in raw.tolist())
    seen: dict[str, int] = {}
    for position, key in enumerate(keys):
        if not key:
            raise MatrixFileError(f"{path}: keys[{position}] is empty")
        if key in seen:
            raise MatrixFileError(
                f"{path}: duplicate key {key!r} at keys[{seen[key]}] and keys[{position}]"
            )
        if known is not None and key not in known:
            raise MatrixFileError(f"{path}: unknown place {key!r} at keys[{position}]")
        seen[key] = position
    if not keys:
        raise MatrixFileError(f"{path}: keys is empty")
    return keys


def _npz_matrix(path: Path, name: str, raw: np.ndarray, keys: tuple[str, ...]) -> np.ndarray:
    """Check one N x N array of an NPZ file and return it as float64."""
    n = len(keys)
    if raw.ndim != 2 or raw.shape[0] != raw.shape[1]:
        raise MatrixFileError(f"{path}: {name} must be a square N x N array, got shape {raw.shape}")
    if raw.shape != (n, n):
        raise MatrixFileError(
            f"{path}: {name} has shape {raw.shape} but there are {n} keys; expected ({n}, {n})"
        )
    if raw.dtype.kind not in "iuf":
        raise MatrixFileError(f"{path}: {name} must hold numbers, got dtype {raw.dtype}")
    values = raw.astype(np.float64)
    for test, problem in ((~np.isfinite(values), "is not finite"), (values < 0, "is negative")):
        bad = np.argwhere(test)
        if len(bad):
            i, j = (int(k) for k in bad[0])
            raise MatrixFileError(
                f"{path}: {name}[{i}, {j}] ({keys[i]} -> {keys[j]}) {problem}: {values[i, j]} "
                f"({len(bad)} such value{'s' if len(bad) > 1 else ''})"
            )
    diagonal = np.flatnonzero(np.diagonal(values))
    if len(diagonal):
        i = int(diagonal[0])
        raise MatrixFileError(
            f"{path}: {name}[{i}, {i}] ({keys[i]} to itself) must be 0, got {values[i, i]}"
        )
    return values


def _read_npz(path: Path, known: frozenset[str] | None) -> MatrixTable:
    """Read and check an NPZ matrix file."""
    if not zipfile.is_zipfile(path):
        raise MatrixFileError(f"{path}: not a valid .npz archive (not a zip file)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {
                name: archive[name] for name in (*NPZ_ARRAYS, "provenance") if name in archive.files
            }
    except (zipfile.BadZipFile, EOFError) as error:
        raise MatrixFileError(f"{path}: not a valid .npz archive ({error})") from None
    except ValueError:  # object arrays need pickle, which is refused: it can run code
        raise MatrixFileError(
            f"{path}: holds pickled (object) arrays, which are refused; "
            "save keys as strings and matrices as numbers"
        ) from None
    missing = [name for name in NPZ_ARRAYS if name not in arrays]
    if missing:
        raise MatrixFileError(
            f"{path}: lacks array(s) {', '.join(missing)}; expected {', '.join(NPZ_ARRAYS)}"
        )
    keys = _npz_keys(path, arrays["keys"], known)
    distance_m = _npz_matrix(path, "distance_m", arrays["distance_m"], keys)
    time_s = _npz_matrix(path, "time_s", arrays["time_s"], keys)
    provenance = None
    if "provenance" in arrays:
        raw = arrays["provenance"]
        if raw.ndim != 0 or raw.dtype.kind != "U":
            raise MatrixFileError(f"{path}: provenance must be one string, got {raw.dtype}")
        provenance = MatrixProvenance.from_json(str(raw), f"{path}: provenance")
    return _checked(path, MatrixTable(keys, distance_m, time_s, provenance))


def load_matrix_file(
    path: str | os.PathLike[str],
    known_keys: Iterable[object] | None = None,
    *,
    check_keys: bool = True,
) -> MatrixTable:
    """Read and validate a matrix file (CSV long format or NPZ).

    Args:
        path: the file; its suffix (``.csv`` or ``.npz``) picks the format.
        known_keys: keys the file may use; defaults to the gazetteer's INE codes.
        check_keys: ``False`` accepts any key, for a tool updating a file it wrote itself
            (its provenance then names the places); ``known_keys`` is ignored.

    Returns:
        The loaded table (keys and dense matrices, NaN for pairs a CSV does not give, and
        the provenance when the file has one).

    Raises:
        MatrixFileError: the file is missing, unreadable or has any defect; the message names
            the file, the problem and the line, key or cell.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".npz"):
        raise MatrixFileError(f"{path}: unsupported matrix file type {suffix!r}; use .csv or .npz")
    if not path.is_file():
        raise MatrixFileError(f"{path}: no such matrix file")
    known = _known(known_keys) if check_keys else None
    return _read_csv(path, known) if suffix == ".csv" else _read_npz(path, known)


class MatrixFileProvider:
    """Road times exported by a routing engine, overriding the fallback for the pairs it holds."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        fallback: TravelTimeProvider | None = _MODEL,
        known_keys: Iterable[object] | None = None,
    ) -> None:
        """Load and validate the file now, so a bad file fails at start-up, not mid-plan.

        Args:
            path: a ``.csv`` (``from,to,distance_m,time_s``) or ``.npz`` (``keys``,
                ``distance_m``, ``time_s``) matrix file.
            fallback: provider for pairs the file does not hold (and points without a key);
                the road model by default. ``None`` makes every such pair an error.
            known_keys: the keys the file may use (e.g. database place ids); defaults to
                the gazetteer's INE codes.

        Raises:
            MatrixFileError: the file is missing or has a defect (see :func:`load_matrix_file`).
        """
        self.path = Path(path)
        self.fallback = fallback
        self._table = load_matrix_file(self.path, known_keys)
        self._index = self._table.index
        #: Short SHA-256 of the file as loaded: the version a plan records.
        self.digest = hashlib.sha256(self.path.read_bytes()).hexdigest()[:12]

    @property
    def keys(self) -> tuple[str, ...]:
        """The place keys the file knows."""
        return self._table.keys

    @property
    def provenance(self) -> MatrixProvenance | None:
        """Where the file's times came from (engine, URL, dates), if the file says."""
        return self._table.provenance

    def __repr__(self) -> str:
        """Show the file and its size."""
        return f"MatrixFileProvider({str(self.path)!r}, {len(self.keys)} places)"

    def matrix(self, points: Sequence[PointLike]) -> TravelMatrix:
        """Return file values for the pairs the file holds and the fallback's for the rest.

        Args:
            points: located objects, with a ``key`` to be looked up in the file, or
                ``(latitude, longitude)`` pairs, which only the fallback can answer.

        Returns:
            A :class:`TravelMatrix` of int64 arrays with a zero diagonal.

        Raises:
            MatrixFileError: with no fallback, a pair of distinct points is not in the file.
            InvalidPointError: a point's coordinates are missing or out of range.
        """
        point_set = as_points(points)
        rows = np.array([self._index.get(key, -1) if key else -1 for key in point_set.keys])
        n = len(point_set)
        file_distance = np.full((n, n), np.nan)
        file_time = np.full((n, n), np.nan)
        inside = np.flatnonzero(rows >= 0)
        if len(inside):
            sub = np.ix_(inside, inside)
            file_distance[sub] = self._table.distance_m[np.ix_(rows[inside], rows[inside])]
            file_time[sub] = self._table.time_s[np.ix_(rows[inside], rows[inside])]
        held = np.isfinite(file_distance) & np.isfinite(file_time)
        np.fill_diagonal(held, True)
        np.fill_diagonal(file_distance, 0.0)
        np.fill_diagonal(file_time, 0.0)
        if held.all():
            distance, time = file_distance, file_time
        else:
            base = self._fallback_matrix(points, point_set, held)
            distance = np.where(held, file_distance, base.distance_m)
            time = np.where(held, file_time, base.time_s)
        return TravelMatrix(np.rint(distance).astype(np.int64), np.rint(time).astype(np.int64))

    def _fallback_matrix(
        self, original: Sequence[PointLike], points: PointSet, held: np.ndarray
    ) -> TravelMatrix:
        """Ask the fallback for the whole matrix, or name the first pair nobody can answer."""
        if self.fallback is None:
            i, j = (int(k) for k in np.argwhere(~held)[0])
            names = [
                key or f"point {k} (no key)"
                for k, key in ((i, points.keys[i]), (j, points.keys[j]))
            ]
            raise MatrixFileError(
                f"{self.path}: no travel time for {names[0]} -> {names[1]} "
                f"and no fallback provider ({int((~held).sum())} ordered pair(s) missing)"
            )
        if isinstance(self.fallback, ModelProvider):
            return self.fallback.matrix_of(points)
        return self.fallback.matrix(original)


def write_matrix_file(
    path: str | os.PathLike[str],
    keys: Sequence[object],
    distance_m: np.ndarray,
    time_s: np.ndarray,
    provenance: MatrixProvenance | None = None,
) -> Path:
    """Write a full N x N matrix as a matrix file (format by suffix), e.g. from a routing engine.

    The file is written beside its destination and renamed over it, so a service reading
    the old file never sees half of the new one, and a failed run leaves the old one intact.

    Args:
        path: destination ending in ``.csv`` or ``.npz``.
        keys: the N place keys (INE codes or place ids), in matrix order.
        distance_m: N x N road distances in metres.
        time_s: N x N driving times in seconds.
        provenance: where the values came from; its places must be ``keys``, in order.

    Returns:
        The path written.

    Raises:
        MatrixFileError: the suffix is not supported, the arrays do not fit the keys or the
            provenance describes other places.
    """
    path = Path(path)
    text_keys = [str(key) for key in keys]
    n = len(text_keys)
    distance_m, time_s = np.asarray(distance_m), np.asarray(time_s)
    if distance_m.shape != (n, n) or time_s.shape != (n, n):
        raise MatrixFileError(
            f"{path}: arrays of shape {distance_m.shape} and {time_s.shape} do not fit {n} keys"
        )
    if provenance is not None and list(provenance.keys) != text_keys:
        raise MatrixFileError(f"{path}: the provenance's places are not the {n} keys, in order")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".npz"):
        raise MatrixFileError(f"{path}: unsupported matrix file type {suffix!r}; use .csv or .npz")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        if suffix == ".npz":
            arrays = {"keys": np.array(text_keys, dtype=str), "distance_m": distance_m}
            arrays["time_s"] = time_s
            if provenance is not None:
                arrays["provenance"] = np.array(provenance.to_json(), dtype=str)
            np.savez(temporary, **arrays)  # type: ignore[arg-type]
        else:
            _write_csv(temporary, text_keys, distance_m, time_s, provenance)
        # mkstemp makes the file private; keep the mode of the file replaced, else rw-r--r--
        temporary.chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def _write_csv(
    path: Path,
    keys: Sequence[str],
    distance_m: np.ndarray,
    time_s: np.ndarray,
    provenance: MatrixProvenance | None,
) -> None:
    """Write the long CSV format, with its provenance line first when there is one."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        if provenance is not None:
            handle.write(CSV_PROVENANCE + provenance.to_json() + "\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for i, origin in enumerate(keys):
            for j, destination in enumerate(keys):
                if i != j:
                    writer.writerow((origin, destination, distance_m[i, j], time_s[i, j]))
