"""Memory during a search: glibc's allocator tuned for an OR-Tools search, and the heap kept out
of the garbage collector's scans while our search runs; both restored after.

Why: an OR-Tools routing search allocates and frees many small blocks at the top of the heap.
With glibc's defaults (trim threshold and top pad of 128 KiB) every free that leaves more than
that at the top gives the memory back to the kernel and the next allocation asks for it again:
one 1,000-request model spent 80 % of its time in ``brk`` system calls (issue 20). A large trim
threshold and top pad keep that memory in the process while the search runs. Only on glibc
(``mallopt`` is glibc's); elsewhere this does nothing. On exit both values go back to glibc's
documented defaults (setting them turns off glibc's dynamic threshold, which stays off).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import platform
from collections.abc import Iterator
from contextlib import contextmanager

#: ``mallopt`` parameter numbers from glibc's malloc.h.
M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
#: glibc's defaults for both (mallopt(3)).
GLIBC_DEFAULT = 128 * 1024
#: What a search keeps: 512 MiB of trim threshold, 64 MiB grown at a time.
SEARCH_TRIM_THRESHOLD = 512 * 1024 * 1024
SEARCH_TOP_PAD = 64 * 1024 * 1024


def _glibc() -> ctypes.CDLL | None:
    """The C library if it is glibc, else None."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    name = ctypes.util.find_library("c") or "libc.so.6"
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


@contextmanager
def search_allocator() -> Iterator[bool]:
    """Keep freed heap memory in the process while the block runs (glibc only).

    Yields whether the settings were applied.
    """
    libc = _glibc()
    applied = bool(
        libc is not None
        and libc.mallopt(M_TRIM_THRESHOLD, SEARCH_TRIM_THRESHOLD)
        and libc.mallopt(M_TOP_PAD, SEARCH_TOP_PAD)
    )
    try:
        yield applied
    finally:
        if libc is not None:
            libc.mallopt(M_TRIM_THRESHOLD, GLIBC_DEFAULT)
            libc.mallopt(M_TOP_PAD, GLIBC_DEFAULT)
            libc.malloc_trim(0)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the objects that exist now out of the garbage collector's scans while the block runs.

    Why: a search allocates millions of short-lived lists and tuples, and every collection of
    the oldest generation then walks everything the process holds, the instance's lists and the
    web application's objects included, though none of it can become garbage during the
    search. Freezing them (``gc.freeze``) spared a fifth of the CPU time of a 1,000-request
    search (104 to 128 iterations per CPU second, issue 20). They are unfrozen on exit, so
    whatever of them becomes garbage later is collected as before. Nested blocks are harmless:
    unfreezing early only lets the collector scan those objects again.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
