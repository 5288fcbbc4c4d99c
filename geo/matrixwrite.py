"""Writing a matrix file (CSV or NPZ, see :mod:`geo.matrixformat`) with its provenance.

Files are written to a temporary file and renamed, so a reader never sees half a matrix.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from geo.errors import MatrixFileError
from geo.matrixformat import (
    CSV_HEADER,
    CSV_PROVENANCE,
    MatrixProvenance,
)


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
