"""Realistic, seeded demand: a day of newcomers' ride requests and volunteer drivers (issue 9).

``generate(requests, drivers, seed, date=...)`` returns a :class:`scenarios.entities.Scenario`
with exactly ``requests`` requests (return trips included) and ``drivers`` drivers. The same
arguments always give the same scenario, byte for byte once written: every draw comes from
``random.Random`` streams seeded from ``seed`` (drivers have their own stream, so asking for
more requests does not change the drivers), and distances come from geo's road model itself,
not from whatever travel-time provider the process has configured.

The model, and why each default (all are fields of :class:`DemandParams`):

Where riders live.
    Newcomers are not spread like the population. The capital (92,834 of the province's
    285,390 inhabitants) and the Corredor del Henares have urban buses; the people a rural car
    serves are those settled in the villages, often by resettlement and depopulation programmes
    that place families in small municipalities. A newcomer's home is therefore drawn with
    weight ``population ** newcomer_home_alpha``; ``alpha = 0.5`` gives the capital about 6.5%
    of newcomers instead of 32.5%, and villages under 500 inhabitants about 45% (``alpha = 1``
    is plain population, ``alpha = 0`` every municipality alike). A minority of riders
    (``1 - newcomer_share``, default 10%) are local residents without a car, who live in
    proportion to population and speak Spanish.
Where trips go.
    Mostly to service towns (``hubs``): the capital and Azuqueca, the comarca towns Sigüenza,
    Molina de Aragón, Brihuega, Pastrana, Cifuentes, Sacedón, Jadraque, Atienza and Mondéjar,
    and the big Corredor towns El Casar, Cabanillas del Campo and Alovera. The hub is chosen
    by a gravity model, ``attractiveness / max(road_km, gravity_floor_km) ** gravity_beta``,
    so a rider usually goes to a near hub; ``beta = 2`` is the classic gravity exponent and
    the 5 km floor stops a next-door hub from taking every trip. Attractiveness is 2 for the
    capital, Azuqueca, Sigüenza and Molina (the towns that serve a whole comarca or corridor),
    1 for the others. On top of that a purpose-dependent share goes to the capital
    whatever the distance (``capital_share``): the provincial hospital and specialists for
    health (20%), the immigration office and provincial services for administration (30%),
    courses for training and work (15%). The rest (``1 - hub_share``, 10%) go to another
    village, weighted by its population over distance squared (family, a farm job).
What for and when.
    ``purpose_shares``: health 35%, shopping 20%, administration 15%, training/work 18%,
    school 4%, other 8% -- the barriers newcomers name (health centre, shops, town hall,
    courses, job interviews), health first. Each purpose has a time profile
    (:class:`PurposeProfile`): health is mostly ``arrive_by`` 8:30-13:00 (85%) with some
    afternoon appointments; shopping ``leave_after`` late morning; administration
    ``arrive_by`` in office hours (9:00-13:30); training/work ``arrive_by`` 8:00-10:00 or
    15:30-17:00; school ``arrive_by`` 8:30-9:00 (schools of Castilla-La Mancha mostly run
    9:00-14:00) and always with children; other ``leave_after`` during the day. Times sit on
    a 5-minute grid and the flexibility is 15-45 minutes.
Coming back.
    70% of outward trips (``return_share``) get a return request: same rider and party,
    reversed, ``leave_after`` the arrival plus a purpose-dependent stay, capped at 21:00
    unless the stay itself ends later. (The last request of a day never gets a return, so
    that the count is exact.)
Who travels.
    A second adult in 15% of trips; children in 20% of trips (1, 2 or 3 with weights 55/30/15,
    at most 4 people in all); 70% of children need a child seat (Spain requires a child
    restraint below 135 cm), at most 2 per trip, as no car has more; a wheelchair in 2%.
    Preferred languages of newcomers: Arabic 30%, Romanian 25%, Spanish 15% (Latin
    Americans), French 12%, Ukrainian 10%, English 8% -- a rough ordering after the largest
    foreign communities of the province (Romanian and Moroccan, then Latin American,
    Ukrainian since 2022, African asylum seekers); tune it from the organisations' records.
    Some also speak Spanish (30%), French (10%) or English (15%).
Volunteer drivers.
    Homes weighted by ``population ** 0.75``: more drivers in bigger towns, but fewer per
    inhabitant than in villages, where volunteering is more common (``alpha = 1`` would put a
    third of the drivers in the capital, far from the riders). Cars have 3 passenger seats
    or, 60% of them, 4; 35% carry a child seat (a quarter of those two); 5% have a wheelchair
    place. Shifts are mornings 7:30-14:30 (65%), full days 8:00-18:00 (15%) or afternoons
    14:00-20:00 (20%), moved by up to 30 minutes, from and to home. Drivers speak Spanish,
    and some English (30%), French (10%), Romanian (5%), Arabic (3%) or Ukrainian (2%).

These are assumptions to be replaced by the service's own booking records when it has them.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import numpy as np

from geo.gazetteer import Municipality, gazetteer
from geo.providers import ModelProvider
from scenarios.demand_params import _DAY_END, MAX_CHILD_SEATS, MAX_PARTY, DemandParams, _minutes
from scenarios.entities import (
    Driver,
    Rider,
    Scenario,
    Shift,
    TripRequest,
    Vehicle,
)

# ---------------------------------------------------------------------------- the place model


@dataclass(frozen=True)
class _Weights:
    """Items with cumulative weights, drawn in O(log n) (the same rule as Random.choices)."""

    items: tuple[Any, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, items: Iterable[Any], weights: Iterable[float]) -> _Weights:
        """Weights for these items."""
        return cls(tuple(items), tuple(accumulate(float(w) for w in weights)))

    def draw(self, rng: random.Random) -> Any:
        """One item, each with probability proportional to its weight."""
        point = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect(self.cumulative, point, 0, len(self.cumulative) - 1)]


def _weighted(shares: Mapping[str, float]) -> _Weights:
    """Draw the keys of a mapping of shares."""
    return _Weights.of(list(shares), list(shares.values()))


class _Province:
    """Places, distances and every distribution over places that one generation uses."""

    def __init__(self, params: DemandParams) -> None:
        self.params = params
        self.places: tuple[Municipality, ...] = gazetteer()
        self.codes = tuple(place.ine_code for place in self.places)
        self.index = {code: number for number, code in enumerate(self.codes)}
        matrix = ModelProvider().matrix(self.places)
        self.km = np.maximum(matrix.distance_m / 1000.0, params.gravity_floor_km)
        self.minutes = matrix.time_s / 60.0
        population = np.array([place.population for place in self.places], dtype=float)
        self.newcomer_homes = _Weights.of(self.codes, population**params.newcomer_home_alpha)
        self.local_homes = _Weights.of(self.codes, population**params.local_home_alpha)
        self.driver_homes = _Weights.of(self.codes, population**params.driver_home_alpha)
        self.hubs = tuple(self.index[code] for code in params.hubs)
        self.hub_pull = np.array(list(params.hubs.values()), dtype=float)
        hub_set = set(self.hubs)
        self.villages = tuple(n for n in range(len(self.codes)) if n not in hub_set)
        self.village_pull = population[list(self.villages)]
        self._hub_choice: dict[int, _Weights | None] = {}
        self._village_choice: dict[int, _Weights] = {}
        self.purposes = _weighted(params.purpose_shares)
        self.languages = _weighted(params.rider_languages)
        self.children = _Weights.of(
            range(1, len(params.children_weights) + 1), params.children_weights
        )
        self.windows = {
            purpose: _Weights.of(profile.windows, [window[2] for window in profile.windows])
            for purpose, profile in params.profiles.items()
        }
        self.shifts = _Weights.of(params.shifts, [shift[2] for shift in params.shifts])

    def hub_near(self, rng: random.Random, home: int) -> int | None:
        """A hub other than home, by gravity; None when home is the only hub."""
        if home not in self._hub_choice:
            self._hub_choice[home] = self._gravity(home, self.hubs, self.hub_pull)
        choice = self._hub_choice[home]
        return None if choice is None else int(choice.draw(rng))

    def village_near(self, rng: random.Random, home: int) -> int:
        """A non-hub village other than home, by population over distance."""
        if home not in self._village_choice:
            choice = self._gravity(home, self.villages, self.village_pull)
            assert choice is not None  # 270+ villages: never all at home
            self._village_choice[home] = choice
        return int(self._village_choice[home].draw(rng))

    def _gravity(self, home: int, targets: tuple[int, ...], pull: np.ndarray) -> _Weights | None:
        """Attractiveness / distance^beta from home to each target, home itself excluded."""
        weights = pull / self.km[home, list(targets)] ** self.params.gravity_beta
        weights[np.array(targets) == home] = 0.0
        if not weights.sum() > 0:
            return None
        return _Weights.of(targets, weights.tolist())


# ---------------------------------------------------------------------------- generation


def generate(
    requests: int,
    drivers: int,
    seed: int,
    *,
    date: dt.date | str,
    params: DemandParams | None = None,
) -> Scenario:
    """A reproducible day of exactly ``requests`` requests and ``drivers`` drivers.

    Args:
        requests: how many requests, return trips included (>= 0).
        drivers: how many drivers, each with one car and one shift (>= 0).
        seed: the seed of every random draw; the same arguments give the same scenario.
        date: the day (a date or ``YYYY-MM-DD``).
        params: the demand model; :class:`DemandParams` defaults when None.

    Returns:
        A valid :class:`scenarios.entities.Scenario` whose ``params`` record the model used.

    Raises:
        ValueError: a negative count or seed, or a date that is not a day.
    """
    params = params or DemandParams()
    if requests < 0 or drivers < 0 or seed < 0:
        raise ValueError(f"requests, drivers and seed must be >= 0, got {requests, drivers, seed}")
    day = _day(date)
    province = _Province(params)
    riders, trips = _demand(_stream(seed, "requests"), province, requests)
    rng = _stream(seed, "drivers")
    fleet = [_driver(rng, province, f"d{number}") for number in range(1, drivers + 1)]
    return Scenario(
        date=day,
        riders=tuple(riders),
        drivers=tuple(fleet),
        requests=tuple(trips),
        seed=seed,
        params=params.to_dict(),
    )


def _day(date: dt.date | str) -> dt.date:
    """The scenario's day from a date, a datetime (its date) or ``YYYY-MM-DD``."""
    if isinstance(date, dt.datetime):
        return date.date()
    return date if isinstance(date, dt.date) else dt.date.fromisoformat(date)


def _stream(seed: int, name: str) -> random.Random:
    """An independent random stream per part, so one part's size never shifts another's draws."""
    return random.Random(f"rural-cars/{seed}/{name}")  # noqa: S311 - simulation, not secrets


def _demand(
    rng: random.Random, province: _Province, count: int
) -> tuple[list[Rider], list[TripRequest]]:
    """Outward trips, each by a new rider, followed by their returns until ``count`` requests."""
    params = province.params
    riders: list[Rider] = []
    trips: list[TripRequest] = []
    while len(trips) < count:
        rider = _rider(rng, province, f"r{len(riders) + 1}")
        riders.append(rider)
        outward = _outward(rng, province, rider, province.purposes.draw(rng), f"q{len(trips) + 1}")
        trips.append(outward)
        if len(trips) < count and rng.random() < params.return_share:
            back = _return_trip(rng, province, outward, f"q{len(trips) + 1}")
            if back is not None:
                trips.append(back)
    return riders, trips


# Common first names by language (newcomers) and of Spain (locals and volunteers).
_NAMES = {
    "ar": ("Amina", "Fatima", "Khadija", "Salma", "Nadia", "Aicha",
           "Youssef", "Mohamed", "Hamza", "Karim", "Omar", "Rachid"),
    "ro": ("Ioana", "Elena", "Maria", "Andreea", "Cristina", "Mihaela",
           "Andrei", "Ion", "Mihai", "Gheorghe", "Florin", "Vasile"),
    "uk": ("Olena", "Oksana", "Iryna", "Nataliia", "Yuliia", "Tetiana",
           "Dmytro", "Andrii", "Serhii", "Oleksandr", "Mykola", "Volodymyr"),
    "fr": ("Aminata", "Mariama", "Fatoumata", "Awa", "Aïssatou", "Kadiatou",
           "Moussa", "Mamadou", "Ibrahima", "Ousmane", "Seydou", "Abdoulaye"),
    "en": ("Grace", "Blessing", "Joy", "Faith", "Esther", "Mercy",
           "Emmanuel", "Samuel", "Daniel", "Peter", "Godwin", "Kwame"),
    "es": ("Lucía", "María", "Carmen", "Rosa", "Valentina", "Daniela",
           "José", "Luis", "Carlos", "Jorge", "Juan", "Andrés"),
}  # fmt: skip
_DRIVER_NAMES = (
    "Javier", "Carmen", "Antonio", "Pilar", "Manuel", "Isabel", "Francisco", "Mercedes",
    "Jesús", "Rosario", "Pedro", "Teresa", "Miguel", "Dolores", "Ángel", "Concepción",
    "Fernando", "Montserrat", "Luis", "Elena",
)  # fmt: skip


def _rider(rng: random.Random, province: _Province, rider_id: str) -> Rider:
    """A newcomer spread over the villages, or now and then a local without a car."""
    params = province.params
    if rng.random() < params.newcomer_share:
        home = province.newcomer_homes.draw(rng)
        preferred = province.languages.draw(rng)
        spoken = [preferred] + [
            language
            for language, share in params.rider_second_languages.items()
            if language != preferred and rng.random() < share
        ]
    else:
        home, preferred, spoken = province.local_homes.draw(rng), "es", ["es"]
    name = rng.choice(_NAMES.get(preferred, _NAMES["en"]))
    return Rider(rider_id, name, home, preferred, tuple(spoken))


def _outward(
    rng: random.Random, province: _Province, rider: Rider, purpose: str, request_id: str
) -> TripRequest:
    """The rider's trip from home: where to, when, with whom."""
    params = province.params
    profile = params.profiles[purpose]
    destination = _destination(rng, province, province.index[rider.home], purpose)
    adults, children, child_seats, wheelchair = _party(rng, province, purpose)
    return TripRequest(
        id=request_id,
        rider=rider.id,
        origin=rider.home,
        destination=province.codes[destination],
        time_kind=profile.time_kind,
        time=_clock(_time_in(rng, province.windows[purpose], params.time_step_min)),
        flexibility_min=_flexibility(rng, params),
        adults=adults,
        children=children,
        child_seats=child_seats,
        wheelchair=wheelchair,
        purpose=purpose,
    )


def _destination(rng: random.Random, province: _Province, home: int, purpose: str) -> int:
    """The capital for some purposes, else mostly a near hub, else another village."""
    params = province.params
    capital = province.index[params.capital]
    if home != capital and rng.random() < params.capital_share.get(purpose, 0.0):
        return capital
    if rng.random() < params.hub_share:
        hub = province.hub_near(rng, home)
        if hub is not None:
            return hub
    return province.village_near(rng, home)


def _party(rng: random.Random, province: _Province, purpose: str) -> tuple[int, int, int, bool]:
    """Adults, children, child seats and wheelchair of one trip; school trips carry children."""
    params = province.params
    adults = 2 if rng.random() < params.second_adult_rate else 1
    children = 0
    if purpose == "school" or rng.random() < params.children_rate:
        children = min(province.children.draw(rng), MAX_PARTY - adults)
    seats = sum(rng.random() < params.child_seat_rate for _ in range(children))
    wheelchair = rng.random() < params.wheelchair_rate
    return adults, children, min(seats, MAX_CHILD_SEATS), wheelchair


def _time_in(rng: random.Random, windows: _Weights, step: int) -> int:
    """Minutes since midnight on the step grid inside one of the weighted windows."""
    start, end, _ = windows.draw(rng)
    first, last = _ceil_to(_minutes(start), step), _minutes(end)
    return first + step * rng.randint(0, max(0, (last - first) // step))


def _flexibility(rng: random.Random, params: DemandParams) -> int:
    """Minutes of slack around the rider's time, on the step grid."""
    low, high = params.flexibility_min
    step = params.time_step_min
    return low + step * rng.randint(0, (high - low) // step)


def _return_trip(
    rng: random.Random, province: _Province, outward: TripRequest, request_id: str
) -> TripRequest | None:
    """The way back after the stay, or None when it would fall after midnight."""
    params = province.params
    low, high = params.profiles[outward.purpose].stay_min
    start = outward.time.hour * 60 + outward.time.minute
    if outward.time_kind == "leave_after":
        origin, destination = province.index[outward.origin], province.index[outward.destination]
        start += math.ceil(province.minutes[origin, destination])
    latest = max(_minutes(params.latest_return), start + low)
    back = _ceil_to(min(start + rng.randint(low, high), latest), params.time_step_min)
    if back >= _DAY_END:
        return None
    return dataclasses.replace(
        outward,
        id=request_id,
        origin=outward.destination,
        destination=outward.origin,
        time_kind="leave_after",
        time=_clock(back),
        flexibility_min=_flexibility(rng, params),
        return_of=outward.id,
    )


def _driver(rng: random.Random, province: _Province, driver_id: str) -> Driver:
    """A volunteer at home in a village or town, with a car and one shift from home."""
    params = province.params
    home = province.driver_homes.draw(rng)
    languages = ["es"] + [
        language
        for language, share in params.driver_languages.items()
        if language != "es" and rng.random() < share
    ]
    return Driver(
        id=driver_id,
        first_name=rng.choice(_DRIVER_NAMES),
        home=home,
        languages=tuple(languages),
        vehicle=_vehicle(rng, params),
        shift=_shift(rng, province, home),
    )


def _vehicle(rng: random.Random, params: DemandParams) -> Vehicle:
    """A volunteer's own car: 3 or 4 passenger seats, sometimes child seats or a ramp."""
    seats = 4 if rng.random() < params.four_seat_share else 3
    child_seats = 0
    if rng.random() < params.child_seat_car_share:
        child_seats = MAX_CHILD_SEATS if rng.random() < params.two_child_seats_share else 1
    wheelchair = 1 if rng.random() < params.wheelchair_car_share else 0
    return Vehicle(seats=seats, child_seats=child_seats, wheelchair_places=wheelchair)


def _shift(rng: random.Random, province: _Province, home: str) -> Shift:
    """A morning, full-day or afternoon shift, moved a little, from and back to home."""
    start, end, _ = province.shifts.draw(rng)
    quarters = province.params.shift_jitter_min // 15
    offset = 15 * rng.randint(-quarters, quarters)
    first = min(max(_minutes(start) + offset, 0), _DAY_END - 2)
    last = min(max(_minutes(end) + offset, first + 1), _DAY_END - 1)
    return Shift(start=_clock(first), end=_clock(last), start_place=home, end_place=home)


def _ceil_to(minutes: int, step: int) -> int:
    """Round minutes up to the grid."""
    return -(-minutes // step) * step


def _clock(minutes: int) -> dt.time:
    """A wall-clock time from minutes since midnight."""
    return dt.time(minutes // 60, minutes % 60)
