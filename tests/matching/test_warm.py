"""The warm-up compiles every kernel with the very argument types real plans use."""

from __future__ import annotations

import json
import subprocess
import sys

#: Run in a fresh interpreter: a kernel's versions (one per argument types) live in the
#: process that compiled or loaded them, so this test's own process, where other tests have
#: planned days already, would hide a version the warm-up left out. Only the kernels that
#: Python calls must have a version: loaded from numba's cache, the helpers they call (``timed``
#: inside ``best_insert``, say) come inside them.
_CHECK = """
import datetime as dt, json
import matching
from matching.search import kernels, tail_kernel

def versions():
    found = {}
    for module in (kernels, tail_kernel):
        for name in dir(module):
            kernel = getattr(module, name)
            if hasattr(kernel, "signatures"):
                found[f"{module.__name__}.{name}"] = {str(s) for s in kernel.signatures}
    return found

matching.warm_up()
before = versions()
called = ("kernels.route_state", "kernels.best_insert", "kernels.best_inserts", "tail_kernel.swaps")
from scenarios.scale import build_day
for n in (30, 200):
    matching.solve_large(build_day(n, 2, dt.date(2025, 3, 12)), time_limit=2, workers=1)
after = versions()
print(json.dumps({
    "never_compiled": [name for name in called if not before[f"matching.search.{name}"]],
    "compiled_later": sorted(name for name in after if after[name] - before[name]),
}))
"""


def test_after_the_warm_up_a_real_plan_compiles_nothing_more():
    """Before, the warm-up's toy arrays were all writable while the problem's matrices are
    read-only, so the first real plan compiled every kernel again (a 5 s plan took 7.7 s)."""
    run = subprocess.run(
        [sys.executable, "-c", _CHECK], capture_output=True, text=True, check=True, timeout=600
    )
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report == {"never_compiled": [], "compiled_later": []}
