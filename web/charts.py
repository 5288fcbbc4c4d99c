"""Report charts drawn on the server: PNG with matplotlib, and SVG written here for the page
itself (no script, no external service either way)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from rides.reporting.on_time import OnTime

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


#: The on-time bands, nearest first: within 5, 5 to 10, 10 to 15, more than 15 minutes off.
ON_TIME_COLOURS = ("#0b5d3b", "#5b8f3a", "#b05d00", "#a4000f")


@dataclass(frozen=True)
class Segment:
    """A part of a stacked bar: where it starts and ends, its colour, its band and share."""

    x: float
    width: float
    colour: str
    band: str
    percent: int


@dataclass(frozen=True)
class StackedBar:
    """One row of a stacked bar chart: its label, its top edge and its segments."""

    label: str
    y: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class StackedChart:
    """A stacked bar chart laid out for ``reports/_stacked_chart.svg`` (sizes in pixels)."""

    width: int
    height: int
    label_width: int
    bars: tuple[StackedBar, ...]
    legend_y: int
    legend: tuple[Segment, ...]


def on_time_chart(rows: Sequence[tuple[str, OnTime]]) -> StackedChart:
    """Stacked bars, one per row (the province, then each area): the share of pickups within
    5, 5-10, 10-15 and over 15 minutes of the promised time.

    Laid out here and drawn by a template as SVG inside the page: no request, no script, and
    presentation attributes only (the content security policy allows no inline style); the
    template names it for screen readers, and the page's tables give the same numbers.
    """
    bands = (_("within 5 min"), _("5 to 10 min"), _("10 to 15 min"), _("over 15 min"))
    label_w, bar_w, row_h, top = 190, 420, 30, 8
    bars = []
    for number, (label, figures) in enumerate(rows):
        x, segments = float(label_w), []
        for band, share, colour in zip(bands, _band_shares(figures), ON_TIME_COLOURS, strict=True):
            if share > 0:
                segments.append(Segment(x, bar_w * share, colour, band, round(100 * share)))
                x += bar_w * share
        bars.append(StackedBar(label, top + number * row_h, tuple(segments)))
    legend_y = top + row_h * len(rows) + 10
    legend = tuple(
        Segment(label_w + number * (bar_w / 4 + 5), 12, colour, band, 0)
        for number, (band, colour) in enumerate(zip(bands, ON_TIME_COLOURS, strict=True))
    )
    return StackedChart(label_w + bar_w + 20, legend_y + 30, label_w, tuple(bars), legend_y, legend)


def _band_shares(figures: OnTime) -> tuple[float, float, float, float]:
    """The shares of a row's pickups in each band (they add up to 1; all 0 without pickups)."""
    if not figures.pickups:
        return (0.0, 0.0, 0.0, 0.0)
    n = figures.pickups
    return (
        figures.within_5 / n,
        (figures.within_10 - figures.within_5) / n,
        (figures.within_15 - figures.within_10) / n,
        (n - figures.within_15) / n,
    )
