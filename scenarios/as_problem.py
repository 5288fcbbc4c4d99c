"""A scenario file as the solver's problem, through the same rules as a day in the database.

The scenario's people, places, shifts and trips become transient (never saved) model objects,
so ``rides.planning.solver_input.build_problem`` applies exactly the windows, ride limits, loads and
priorities that planning applies to real requests.
"""

from __future__ import annotations

from dataclasses import dataclass

import geo
from rides.models import (
    Person,
    PersonLanguage,
    Place,
    PlaceKind,
    Purpose,
    RideRequest,
    Role,
    Shift,
    TimeKind,
    Vehicle,
)
from rides.planning.solver_input import BuiltProblem, PlanningRules, build_problem
from scenarios.entities import Scenario


@dataclass(frozen=True)
class ScenarioDay:
    """The transient objects of a scenario, ids standing in for database ids."""

    requests: list[RideRequest]
    shifts: list[Shift]


def scenario_day(scenario: Scenario) -> ScenarioDay:
    """Model objects for every place, person, shift and trip of the scenario."""
    places = _places(scenario)
    riders = {r.id: _person(i + 1, Role.NEWCOMER, r.first_name, r.languages)
              for i, r in enumerate(scenario.riders)}  # fmt: skip
    shifts = []
    for i, d in enumerate(scenario.drivers, start=1):
        driver = _person(100_000 + i, Role.DRIVER, d.first_name, d.languages)
        vehicle = Vehicle(id=i, driver=driver, label="car", seats=d.vehicle.seats,
                          child_seats=d.vehicle.child_seats,
                          wheelchair_places=d.vehicle.wheelchair_places)  # fmt: skip
        start, end = places[d.shift.start_place], places[d.shift.end_place]
        shifts.append(Shift(id=i, driver=driver, driver_id=driver.id, vehicle=vehicle,
                            date=scenario.date, start_time=d.shift.start, end_time=d.shift.end,
                            start_place=start, start_place_id=start.id, end_place=end,
                            end_place_id=end.id, max_duration_min=None))  # fmt: skip
    ids = {t.id: i for i, t in enumerate(scenario.requests, start=1)}
    requests = []
    for trip in scenario.requests:
        origin, destination = places[trip.origin], places[trip.destination]
        requests.append(RideRequest(
            id=ids[trip.id], rider=riders[trip.rider], origin=origin, origin_id=origin.id,
            destination=destination, destination_id=destination.id, date=scenario.date,
            time=trip.time, time_kind=TimeKind(trip.time_kind),
            flexibility_min=trip.flexibility_min, adults=trip.adults, children=trip.children,
            child_seats=trip.child_seats, wheelchair=trip.wheelchair,
            purpose=Purpose(trip.purpose),
            outward_id=ids[trip.return_of] if trip.return_of else None,
        ))  # fmt: skip
    by_id = {r.id: r for r in requests}
    for request in requests:
        if request.outward_id is not None:
            by_id[request.outward_id].return_trip = request
    return ScenarioDay(requests, shifts)


def scenario_problem(
    scenario: Scenario,
    *,
    rules: PlanningRules | None = None,
    provider: geo.TravelTimeProvider | None = None,
) -> BuiltProblem:
    """The matching problem of a scenario's day."""
    day = scenario_day(scenario)
    return build_problem(scenario.date, day.requests, day.shifts, rules=rules, provider=provider)


def _places(scenario: Scenario) -> dict[str, Place]:
    codes = {r.home for r in scenario.riders} | {d.home for d in scenario.drivers}
    codes |= {t.origin for t in scenario.requests} | {t.destination for t in scenario.requests}
    codes |= {d.shift.start_place for d in scenario.drivers}
    codes |= {d.shift.end_place for d in scenario.drivers}
    places = {}
    for i, code in enumerate(sorted(codes), start=1):
        town = geo.municipality(code)
        places[code] = Place(id=i, name=town.name, kind=PlaceKind.MUNICIPALITY, ine_code=code,
                             latitude=town.latitude, longitude=town.longitude)  # fmt: skip
    return places


def _person(ident: int, role: Role, name: str, languages: tuple[str, ...]) -> Person:
    person = Person(id=ident, role=role, first_name=name, preferred_language="es")
    person.spoken = [PersonLanguage(language=code) for code in sorted(set(languages))]
    return person
