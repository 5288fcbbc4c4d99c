"""The allocator settings around an OR-Tools search: applied on glibc only, and harmless."""

from __future__ import annotations

import platform

from matching.allocator import search_allocator


def test_settings_apply_on_glibc_only_and_the_block_runs():
    """On glibc ``mallopt`` accepts both settings; elsewhere nothing is changed. Memory
    allocated and freed inside the block behaves as usual."""
    with search_allocator() as applied:
        blocks = [bytearray(1 << 20) for _ in range(8)]
        del blocks
    glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert applied == glibc
