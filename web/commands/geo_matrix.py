"""``rural-cars geo``: road times from a routing engine, and a travel model fitted to drives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import ScriptInfo

from geo.calibration import fit_travel_model
from geo.calibration_report import compare_models, format_comparison
from geo.engines import ENGINES, make_engine
from geo.errors import GeoError
from geo.gazetteer import gazetteer
from geo.legs import Leg, read_legs, split_legs
from geo.matrixbuild import plan_matrix_update, run_matrix_update
from geo.points import Located, Place, read_places
from geo.providers import ModelProvider
from geo.travel import TravelModel, load_travel_model, save_travel_model
from rides.db import unit_of_work
from rides.driving.observed_legs import observed_legs
from web.commands.schema import require_schema
from web.database import database

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
#: Pairs without a road listed by name; the rest are counted.
SHOWN = 10


@click.group("geo")
def geo_group() -> None:
    """Travel times: routing-engine matrices and calibration on observed drives."""


def _extra_places(files: tuple[Path, ...]) -> list[Place]:
    """Read every --places file."""
    return [place for path in files for place in read_places(path)]


@geo_group.command("matrix")
@click.option("--engine", type=click.Choice(ENGINES), required=True)
@click.option("--url", required=True, help="The engine's base URL, e.g. http://localhost:5000.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Matrix file (.npz or .csv); an existing one is extended with the new places only.",
)
@click.option(
    "--places",
    "places_files",
    type=_FILE,
    multiple=True,
    help="Extra places (CSV or JSON of id, name, lat, lon), e.g. named stops. Repeatable.",
)
@click.option("--no-municipalities", is_flag=True, help="Leave out the 288 municipalities.")
@click.option("--profile", default=None, help="OSRM profile / Valhalla costing [driving/auto].")
@click.option(
    "--chunk-size",
    type=click.IntRange(1, 10_000),
    default=None,
    help="Most sources and destinations per request [osrm 100, valhalla 50].",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True)
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True)
@click.option(
    "--allow-unroutable",
    is_flag=True,
    help="Estimate pairs without a road with the travel model (listed) instead of failing.",
)
@click.option("--rebuild", is_flag=True, help="Ignore an existing OUT and compute everything.")
def matrix(
    engine: str,
    url: str,
    out: Path,
    places_files: tuple[Path, ...],
    no_municipalities: bool,
    profile: str | None,
    chunk_size: int | None,
    timeout: float,
    retries: int,
    allow_unroutable: bool,
    rebuild: bool,
) -> None:
    """Compute the travel matrix of every place from a routing engine into OUT."""
    try:
        places: list[Located] = [] if no_municipalities else list(gazetteer())
        places.extend(_extra_places(places_files))
        with make_engine(
            engine, url, profile=profile, chunk_size=chunk_size, timeout_s=timeout, retries=retries
        ) as client:
            plan = plan_matrix_update(out, places, client, rebuild=rebuild)
            click.echo(
                f"{out}: {len(plan.places)} places, {len(plan.kept)} kept, "
                f"{len(plan.new)} to compute ({plan.pairs} pairs)"
            )
            if not plan.new:
                click.echo(f"{out}: nothing new to ask {engine}; the file is left as it is")
                return
            fallback = ModelProvider() if allow_unroutable else None
            with click.progressbar(length=plan.pairs, label=f"{engine} at {url}") as bar:
                update = run_matrix_update(plan, client, fallback=fallback, progress=bar.update)
    except (GeoError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{out}: wrote {update.places} places ({len(update.computed)} computed, "
        f"{update.kept} kept) from {update.requests} requests to {engine} at {url}"
    )
    if update.estimated:
        click.echo(
            f"{len(update.estimated)} pair(s) without a road, estimated by the travel model "
            "(all listed in the file's provenance):"
        )
        for origin, destination in update.estimated[:SHOWN]:
            click.echo(f"  {origin} -> {destination}")
        if len(update.estimated) > SHOWN:
            click.echo(f"  ... and {len(update.estimated) - SHOWN} more")


@geo_group.command("calibrate")
@click.option("--legs", "legs_file", type=_FILE, default=None, help="CSV: from,to,seconds[,...]")
@click.option(
    "--from-marks",
    is_flag=True,
    help="Read the legs from the stops drivers marked in the database instead of a CSV.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="With --from-marks: first day read [a year ago].",
)
@click.option("--places", "places_files", type=_FILE, multiple=True, help="Extra places file.")
@click.option(
    "--model", "current", type=_FILE, default=None, help="Model in use [the embedded one]."
)
@click.option(
    "--holdout",
    type=click.FloatRange(0.0, 0.9),
    default=0.0,
    show_default=True,
    help="Share of legs kept out of the fit to measure the errors on.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the held-out split.")
@click.option(
    "--write",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Save the model fitted on all legs (JSON) for planning to use.",
)
def calibrate(
    legs_file: Path | None,
    from_marks: bool,
    since: dt.datetime | None,
    places_files: tuple[Path, ...],
    current: Path | None,
    holdout: float,
    seed: int,
    write: Path | None,
) -> None:
    """Fit the travel model to observed legs and print the error before and after."""
    if (legs_file is None) == (not from_marks):
        raise click.UsageError("Give the legs: --legs FILE or --from-marks (one of them).")
    places: dict[str, Located] = {town.ine_code: town for town in gazetteer()}
    try:
        if from_marks:
            first = since.date() if since else dt.date.today() - dt.timedelta(days=365)
            legs, source = _legs_from_marks(first, places)
        else:
            assert legs_file is not None
            legs, source = read_legs(legs_file), str(legs_file)
        places.update({place.key: place for place in _extra_places(places_files)})
        prior = load_travel_model(current) if current else TravelModel()
        fit_on, held_out = split_legs(legs, holdout, seed)
        calibration = fit_travel_model(fit_on, places, prior, source=source)
        shown = held_out or fit_on
        comparison = compare_models(prior, calibration.model, shown, places)
    except GeoError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{source}: {len(legs)} legs; fitted on {len(fit_on)} ({calibration.outliers} "
        f"down-weighted as outliers, {calibration.distances} with distances); errors on "
        f"{len(shown)} {'held-out' if held_out else 'fitted'} legs"
    )
    click.echo(format_comparison(comparison))
    if write is not None:
        final = fit_travel_model(legs, places, prior, source=source) if held_out else None
        save_travel_model((final or calibration).model, write)
        click.echo(f"{write}: calibrated model written; plan with it as model:{write}")


def _legs_from_marks(since: dt.date, places: dict[str, Located]) -> tuple[tuple[Leg, ...], str]:
    """Read the legs the drivers' marks give from ``since``, adding their places to ``places``."""
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    with app.app_context():
        require_schema()
        with unit_of_work(database().sessions) as session:
            observed = observed_legs(session, since)
            places.update(
                (key, Place(key, place.name, place.latitude, place.longitude))
                for key, place in observed.places.items()
            )
    if not observed.legs:
        raise click.ClickException(f"No marked legs on driven routes since {since}.")
    return observed.legs, f"marks since {since} ({observed.routes} driven routes)"


def register(main: click.Group, _bench: click.Group) -> None:
    """Mount the commands."""
    main.add_command(geo_group)
