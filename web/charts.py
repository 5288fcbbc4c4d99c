"""Report charts drawn on the server with matplotlib (PNG: no script, no external service)."""

from __future__ import annotations

import io
from collections.abc import Mapping

from flask_babel import gettext as _

PURPLE_GREEN = ("#0b5d3b", "#2f7d5b", "#8a3b00", "#5b6b7a", "#b05d00", "#3d4b8f")


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _png(figure) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def purpose_chart(shares: Mapping[str, float], labels: Mapping[str, str]) -> bytes:
    """Horizontal bars: the share of trips by purpose."""
    figure = _figure(6, 3)
    axes = figure.subplots()
    names = [labels.get(key, key) for key in shares]
    values = [100 * value for value in shares.values()]
    axes.barh(names, values, color=PURPLE_GREEN[: len(values)] or None)
    axes.set_xlabel(_("Trips (%)"))
    axes.set_xlim(0, 100)
    axes.invert_yaxis()
    return _png(figure)


def served_chart(villages: Mapping[str, tuple[int, int]], limit: int = 15) -> bytes:
    """Served and unserved trips for the villages with most requests."""
    top = sorted(villages.items(), key=lambda item: -(item[1][0] + item[1][1]))[:limit]
    figure = _figure(7, 0.4 * max(len(top), 3) + 1)
    axes = figure.subplots()
    names = [name for name, _counts in top]
    served = [counts[0] for _name, counts in top]
    unserved = [counts[1] for _name, counts in top]
    axes.barh(names, served, color="#0b5d3b", label=_("served"))
    axes.barh(names, unserved, left=served, color="#a4000f", label=_("not served"))
    axes.set_xlabel(_("trips"))
    axes.invert_yaxis()
    axes.legend(loc="lower right")
    return _png(figure)
