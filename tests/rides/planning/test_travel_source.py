"""The configured travel times reach planning, and each plan records which it was built on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

import geo
from rides.db import make_sessionmaker
from rides.driving.availability import shifts_on
from rides.planning.day_plans import PlanSettings, plan_day
from rides.planning.solver_input import build_problem, place_key
from rides.planning.travel_source import matrix_keys, use_travel_times
from tests.factories import ATIENZA, JADRAQUE, SIGUENZA, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


@pytest.fixture(autouse=True)
def _model_again() -> Iterator[None]:
    """Every test leaves the process on the model, as it found it."""
    yield
    geo.configure(None)


@pytest.fixture
def small_day(session: Session, make: Factory) -> None:
    """One driver and two trips to Sigüenza."""
    make.shift(make.driver())
    make.request(origin_id=make.place(ATIENZA).id)
    make.request(origin_id=make.place(JADRAQUE).id)
    session.commit()


def _slow_matrix_file(path: Path, session: Session) -> Path:
    """A matrix file over the villages of the day whose times are twice the model's."""
    places = [geo.municipality(code) for code in (ATIENZA, JADRAQUE, SIGUENZA)]
    model = geo.ModelProvider().matrix(places)
    keys = [place.ine_code for place in places]
    return geo.write_matrix_file(path, keys, model.distance_m, model.time_s * 2)


def test_a_plan_on_the_default_records_the_model(session: Session, small_day) -> None:
    """Without a setting the day is planned on the embedded model, and the plan says so."""
    plan = plan_day(session, tomorrow(), FAST)
    source = plan.figures["travel_times"]
    assert source["kind"] == "model"
    assert source["version"] == geo.describe_provider(geo.ModelProvider()).version


def test_a_matrix_file_setting_plans_on_the_file_and_records_it(
    session: Session, engine: Engine, small_day, tmp_path: Path
) -> None:
    """``file:PATH`` makes every plan use the file's times; the plan names the file's digest."""
    path = _slow_matrix_file(tmp_path / "m.npz", session)
    source = use_travel_times(make_sessionmaker(engine), f"file:{path}")
    assert source["kind"] == "file" and str(path) in source["description"]
    plan = plan_day(session, tomorrow(), FAST)
    assert plan.figures["travel_times"] == source
    built = build_problem(tomorrow(), [], shifts_on(session, tomorrow()))
    assert built.travel_times == source


def test_the_file_times_are_the_ones_the_solver_sees(
    session: Session, engine: Engine, make: Factory, tmp_path: Path
) -> None:
    """The problem's durations are the file's (twice the model's), not the model's."""
    request = make.request(origin_id=make.place(ATIENZA).id)
    session.commit()
    before = build_problem(tomorrow(), [request], [])
    use_travel_times(
        make_sessionmaker(engine), f"file:{_slow_matrix_file(tmp_path / 'm.csv', session)}"
    )
    after = build_problem(tomorrow(), [request], [])
    assert [place_key(p) for p in after.places] == [place_key(p) for p in before.places]
    assert np.array_equal(after.problem.durations, before.problem.durations * 2)


def test_back_to_model_undoes_a_file(engine: Engine, tmp_path: Path, session: Session) -> None:
    """Setting ``model`` again restores the embedded model as the process's times."""
    use_travel_times(make_sessionmaker(engine), str(_slow_matrix_file(tmp_path / "m.npz", session)))
    assert use_travel_times(make_sessionmaker(engine), "model")["kind"] == "model"
    assert isinstance(geo.default_provider(), geo.ModelProvider)


@pytest.mark.parametrize(
    ("setting", "named"),
    [("file:/nowhere/m.npz", "/nowhere/m.npz"), ("osrm:", "'osrm:'"), ("teleport:x", "teleport")],
)
def test_a_bad_setting_is_an_error_naming_it(engine: Engine, setting: str, named: str) -> None:
    """A missing file or an unknown source is refused, and the process keeps the model."""
    with pytest.raises(ValueError, match=re.escape(named)):
        use_travel_times(make_sessionmaker(engine), setting)
    assert isinstance(geo.default_provider(), geo.ModelProvider)


def test_matrix_keys_are_what_planning_names_places_by(session: Session, make: Factory) -> None:
    """Villages are known by their INE code, as planning keys them."""
    keys = matrix_keys(session)
    assert SIGUENZA in keys
    assert place_key(make.place(SIGUENZA)) in keys
