"""Benchmark of geo, mounted as ``rural-cars bench geo`` (or ``python -m geo.cli``)."""

from __future__ import annotations

import random
import statistics
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import click

from geo.gazetteer import Municipality, gazetteer
from geo.providers import ModelProvider, clear_caches
from geo.search import gazetteer_index

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall-clock times of one benchmark step, in seconds."""

    step: str
    times: tuple[float, ...]
    note: str = ""

    @property
    def mean_ms(self) -> float:
        """Mean time per run in milliseconds."""
        return statistics.fmean(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        """95th percentile per run in milliseconds (nearest rank)."""
        ordered = sorted(self.times)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000

    @property
    def total_ms(self) -> float:
        """Total of all runs in milliseconds."""
        return sum(self.times) * 1000


def _timed(
    step: Callable[[], object], runs: int, before: Callable[[], None] | None = None
) -> tuple[float, ...]:
    """Run a step several times, calling ``before`` untimed ahead of each run."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return tuple(times)


def _plain(name: str) -> str:
    """Return a name without accents, in lower case, as people often type it."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _typo(text: str, rng: random.Random) -> str:
    """Return text with one letter dropped, changed, swapped with the next or added."""
    at = rng.randrange(len(text))
    letter = rng.choice(_LETTERS)
    edit = rng.choice(("drop", "change", "swap", "add"))
    if edit == "drop":
        return text[:at] + text[at + 1 :]
    if edit == "change":
        return text[:at] + letter + text[at + 1 :]
    if edit == "swap" and at + 1 < len(text):
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    return text[:at] + letter + text[at:]


def search_queries(count: int, seed: int) -> list[tuple[str, str, Municipality]]:
    """Return (kind, query, intended place): a third exact, accent-less and misspelled each."""
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark queries, not secrets
    places = gazetteer()
    queries = []
    for number in range(count):
        place = rng.choice(places)
        kind = ("exact", "accent-less", "misspelled")[number % 3]
        query = place.name if kind == "exact" else _plain(place.name)
        if kind == "misspelled":
            query = _typo(query, rng)
        queries.append((kind, query, place))
    return queries


def run_benchmark(searches: int = 1000, matrix_runs: int = 10, seed: int = 0) -> list[Timing]:
    """Time the gazetteer, the 288 x 288 matrix (cold and cached) and place searches."""
    timings = [Timing("load gazetteer (cold)", _timed(gazetteer, 1, gazetteer.cache_clear))]
    timings.append(
        Timing("build search index (cold)", _timed(gazetteer_index, 1, gazetteer_index.cache_clear))
    )
    places = gazetteer()
    provider = ModelProvider()
    n = len(places)
    timings.append(
        Timing(
            f"travel matrix {n}x{n} (cold)",
            _timed(lambda: provider.matrix(places), matrix_runs, clear_caches),
        )
    )
    timings.append(
        Timing(
            f"travel matrix {n}x{n} (cached)",
            _timed(lambda: provider.matrix(places), matrix_runs * 10),
        )
    )
    index = gazetteer_index()
    queries = search_queries(searches, seed)
    by_kind: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    for kind, query, place in queries:
        start = time.perf_counter()
        matches = index.search(query)
        by_kind.setdefault(kind, []).append(time.perf_counter() - start)
        hits[kind] = hits.get(kind, 0) + bool(matches and matches[0].key == place.ine_code)
    every = tuple(t for kind_times in by_kind.values() for t in kind_times)
    total_hits = sum(hits.values())
    timings.append(
        Timing(
            f"{len(every)} searches", every, f"{100 * total_hits / max(1, len(every)):.1f}% top-1"
        )
    )
    for kind, kind_times in by_kind.items():
        timings.append(
            Timing(
                f"  {kind}",
                tuple(kind_times),
                f"{100 * hits[kind] / len(kind_times):.1f}% top-1",
            )
        )
    return timings


def format_table(timings: list[Timing]) -> str:
    """Render timings as a fixed-width text table."""
    header = f"{'step':<30} {'runs':>5} {'total ms':>10} {'mean ms':>9} {'p95 ms':>9}  note"
    lines = [header, "-" * len(header)]
    for timing in timings:
        lines.append(
            f"{timing.step:<30} {len(timing.times):>5} {timing.total_ms:>10.2f} "
            f"{timing.mean_ms:>9.3f} {timing.p95_ms:>9.3f}  {timing.note}".rstrip()
        )
    return "\n".join(lines)


@click.command("geo")
@click.option("--searches", default=1000, show_default=True, help="Number of searches to time.")
@click.option("--matrix-runs", default=10, show_default=True, help="Cold matrix builds to time.")
@click.option("--seed", default=0, show_default=True, help="Seed for the generated queries.")
def bench_geo(searches: int, matrix_runs: int, seed: int) -> None:
    """Time the travel matrix of the whole province and 1,000 place searches."""
    if searches < 1 or matrix_runs < 1:
        raise click.BadParameter("--searches and --matrix-runs must be at least 1")
    click.echo(format_table(run_benchmark(searches, matrix_runs, seed)))


if __name__ == "__main__":
    bench_geo()
