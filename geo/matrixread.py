"""Reading a matrix file (CSV or NPZ, see :mod:`geo.matrixformat`), checked in full.

Keys are INE codes (the default) or any place ids the caller declares with ``known_keys``.
A file is validated in full when loaded; any defect raises :class:`MatrixFileError` naming
it and where it is. A broken file never silently falls back to the model.
"""

from __future__ import annotations

import csv
import io
import math
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from geo.errors import MatrixFileError
from geo.gazetteer import gazetteer
from geo.matrixformat import (
    CSV_HEADER,
    CSV_PROVENANCE,
    NPZ_ARRAYS,
    MatrixProvenance,
    MatrixTable,
)


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
