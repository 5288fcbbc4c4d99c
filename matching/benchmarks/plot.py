"""Plot gap to best-known vs instance size from the solution files of a ``darp --out`` run.

Needs matplotlib (the ``bench`` extra). Costs and validity are recomputed from the routes.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from matching.benchmarks import darp

MARKERS = {"ours": "o", "ortools": "s", "vroom": "^"}


def collect(instances: Path, solutions: Path) -> dict[str, list[tuple[int, float, bool]]]:
    """Per solver: (requests, gap %, valid) for every solution file found."""
    best = darp.read_best_known(instances)
    result: dict[str, list[tuple[int, float, bool]]] = {}
    for folder in sorted(p for p in solutions.iterdir() if p.is_dir()):
        points = []
        for path in sorted(folder.glob("*.json")):
            inst = darp.read_instance(instances / f"{path.stem}.txt")
            routes = json.loads(path.read_text())["routes"]
            cost, errors = darp.check_routes(inst, routes)
            value = darp.gap(cost, best.get(inst.name))
            if value is not None:
                points.append((inst.requests, value, not errors))
        result[folder.name] = points
    return result


@click.command()
@click.option("--instances", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--solutions", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), required=True)
def main(instances: Path, solutions: Path, png: Path) -> None:
    """Write the gap-vs-size plot as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = collect(instances, solutions)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name, points in data.items():
        marker = MARKERS.get(name, "x")
        valid = [(n, g) for n, g, ok in points if ok]
        broken = [(n, g) for n, g, ok in points if not ok]
        if valid:
            ax.scatter(*zip(*valid, strict=True), marker=marker, label=f"{name} (valid)")
        if broken:
            ax.scatter(
                *zip(*broken, strict=True),
                marker=marker,
                facecolors="none",
                edgecolors="grey",
                label=f"{name} (invalid)",
            )
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_xlabel("requests")
    ax.set_ylabel("gap to best known (%)")
    ax.set_title("Cordeau 'a' DARP instances, 10 s per instance, 1 core")
    ax.legend(fontsize="small")
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=120)


if __name__ == "__main__":
    main()
