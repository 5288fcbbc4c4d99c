"""The demand generator of issue 9: reproducible, exact in size, realistic in its shares."""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import time
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo
from scenarios import scenario_files as sc
from scenarios.demand import generate
from scenarios.demand_params import MAX_CHILD_SEATS, MAX_PARTY, DemandParams, PurposeProfile

DAY = dt.date(2026, 12, 1)
CAPITAL = "19130"


@pytest.fixture(scope="module")
def params() -> DemandParams:
    """The default model."""
    return DemandParams()


@pytest.fixture(scope="module")
def big(params: DemandParams) -> sc.Scenario:
    """A large day (5,000 requests, 625 drivers), enough for shares to settle."""
    return generate(5000, 625, seed=2026, date=DAY, params=params)


@pytest.fixture(scope="module")
def outward(big: sc.Scenario) -> list[sc.TripRequest]:
    """The big day's outward trips (those that are not a return)."""
    return [request for request in big.requests if request.return_of is None]


@pytest.fixture(scope="module")
def places() -> dict[str, geo.Municipality]:
    """The gazetteer by INE code."""
    return {place.ine_code: place for place in geo.gazetteer()}


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


# ---------------------------------------------------------------------------- reproducibility


def test_same_arguments_give_the_same_bytes() -> None:
    """Two runs with the same seed write byte-identical files."""
    first = sc.dumps(generate(400, 50, seed=7, date=DAY))
    second = sc.dumps(generate(400, 50, seed=7, date="2026-12-01"))
    third = sc.dumps(generate(400, 50, seed=7, date=dt.datetime(2026, 12, 1, 18, 0)))
    assert first == second == third


def test_a_different_seed_gives_a_different_day() -> None:
    """Changing the seed changes the requests and the drivers."""
    one, other = generate(400, 50, seed=7, date=DAY), generate(400, 50, seed=8, date=DAY)
    assert one.requests != other.requests
    assert one.drivers != other.drivers


def test_drivers_do_not_depend_on_the_number_of_requests() -> None:
    """Drivers have their own random stream: asking for more requests keeps the same fleet."""
    assert generate(10, 30, seed=3, date=DAY).drivers == generate(900, 30, seed=3, date=DAY).drivers


def test_a_file_records_what_is_needed_to_regenerate_it(tmp_path) -> None:
    """Seed, date and params read back from a file regenerate the very same scenario."""
    custom = DemandParams(return_share=0.5, newcomer_home_alpha=0.3)
    path = tmp_path / "day.json"
    sc.write(generate(300, 40, seed=11, date=DAY, params=custom), path)
    loaded = sc.read(path)
    assert loaded.seed is not None
    again = generate(
        len(loaded.requests),
        len(loaded.drivers),
        seed=loaded.seed,
        date=loaded.date,
        params=DemandParams.from_dict(loaded.params),
    )
    assert sc.dumps(again) == path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- size and validity


@settings(max_examples=40, deadline=None)
@given(
    requests=st.integers(0, 120),
    drivers=st.integers(0, 25),
    seed=st.integers(0, 2**32),
    return_share=st.sampled_from([0.0, 0.5, 1.0]),
)
def test_exactly_the_requested_numbers(
    requests: int, drivers: int, seed: int, return_share: float
) -> None:
    """Any N and M give exactly N requests (returns counted) and M drivers, all valid."""
    day = generate(
        requests, drivers, seed, date=DAY, params=DemandParams(return_share=return_share)
    )
    assert len(day.requests) == requests
    assert len(day.drivers) == drivers
    assert sc.loads(sc.dumps(day)) == day


def test_every_reference_is_valid(big: sc.Scenario, places: dict[str, geo.Municipality]) -> None:
    """Requests name existing riders and places; returns mirror their outward trip; no orphans."""
    riders = {rider.id: rider for rider in big.riders}
    by_id = {request.id: request for request in big.requests}
    assert set(riders) == {request.rider for request in big.requests}
    for request in big.requests:
        assert {request.origin, request.destination} <= set(places)
        if request.return_of is None:
            assert request.origin == riders[request.rider].home
        else:
            outward = by_id[request.return_of]
            assert (request.origin, request.destination) == (outward.destination, outward.origin)
            assert request.time > outward.time
    for driver in big.drivers:
        assert driver.shift.start_place == driver.shift.end_place == driver.home


def test_big_day_round_trips_through_a_file(big: sc.Scenario, tmp_path) -> None:
    """The generator's output is a valid file that reads back equal."""
    path = tmp_path / "big.json"
    sc.write(big, path)
    assert sc.read(path) == big


def test_generates_5000_requests_well_under_two_seconds() -> None:
    """Benchmarks regenerate big days often; 5,000 requests and 625 drivers take < 2 s."""
    start = time.perf_counter()
    generate(5000, 625, seed=99, date=DAY)
    assert time.perf_counter() - start < 2.0


def test_negative_sizes_are_refused() -> None:
    """A negative count is a caller's mistake, not an empty day."""
    with pytest.raises(ValueError, match="must be >= 0"):
        generate(-1, 5, seed=1, date=DAY)


# ---------------------------------------------------------------------------- where and why


def test_purpose_shares_follow_the_parameters(
    outward: list[sc.TripRequest], params: DemandParams
) -> None:
    """Each purpose's share of outward trips is within 3 points of its parameter."""
    counts = Counter(request.purpose for request in outward)
    total = sum(params.purpose_shares.values())
    for purpose, share in params.purpose_shares.items():
        assert counts[purpose] / len(outward) == pytest.approx(share / total, abs=0.03)


def test_return_share_follows_the_parameter(big: sc.Scenario, params: DemandParams) -> None:
    """About return_share of outward trips come back, each at most once."""
    outward = [request for request in big.requests if request.return_of is None]
    returns = [request.return_of for request in big.requests if request.return_of]
    assert len(returns) == len(set(returns))
    assert len(returns) / len(outward) == pytest.approx(params.return_share, abs=0.03)


def test_most_trips_end_at_a_hub(outward: list[sc.TripRequest], params: DemandParams) -> None:
    """The share ending at a service hub matches capital_share + the rest x hub_share."""
    expected = statistics.mean(
        share + (1 - share) * params.hub_share
        for share in (params.capital_share.get(request.purpose, 0.0) for request in outward)
    )
    at_hub = sum(request.destination in params.hubs for request in outward) / len(outward)
    assert at_hub == pytest.approx(expected, abs=0.03)
    assert at_hub > 0.85


def test_riders_usually_go_to_a_near_hub(
    outward: list[sc.TripRequest], params: DemandParams, places: dict[str, geo.Municipality]
) -> None:
    """Gravity: most trips to a hub other than the capital go to one of the 3 nearest hubs."""
    codes = list(places)
    distance, _ = geo.travel_matrix(list(places.values()), geo.ModelProvider())
    index = {code: number for number, code in enumerate(codes)}
    near = 0
    trips = [r for r in outward if r.destination in params.hubs and r.destination != CAPITAL]
    for request in trips:
        home = index[request.origin]
        ranked = sorted(
            (hub for hub in params.hubs if hub != request.origin),
            key=lambda hub: distance[home, index[hub]],
        )
        near += request.destination in ranked[:3]
    assert near / len(trips) > 0.65


def test_some_trips_go_to_the_capital(outward: list[sc.TripRequest], params: DemandParams) -> None:
    """The capital (hospital, immigration office) draws at least its purpose shares of trips."""
    for purpose in ("health", "administration"):
        trips = [request for request in outward if request.purpose == purpose]
        to_capital = sum(request.destination == CAPITAL for request in trips) / len(trips)
        assert to_capital >= params.capital_share[purpose] - 0.03
        assert to_capital < 0.6


def test_riders_homes_follow_the_newcomer_weighting(
    big: sc.Scenario, params: DemandParams, places: dict[str, geo.Municipality]
) -> None:
    """Homes follow share x population^alpha + (1 - share) x population, not raw population."""
    population = np.array([place.population for place in places.values()], dtype=float)
    newcomers = population**params.newcomer_home_alpha
    locals_ = population**params.local_home_alpha
    expected = (
        params.newcomer_share * newcomers / newcomers.sum()
        + (1 - params.newcomer_share) * locals_ / locals_.sum()
    )
    counts = Counter(rider.home for rider in big.riders)
    observed = np.array([counts[code] for code in places]) / len(big.riders)
    assert np.corrcoef(observed, expected)[0, 1] > 0.9
    capital = list(places).index(CAPITAL)
    assert observed[capital] == pytest.approx(expected[capital], abs=0.02)
    assert observed[capital] < population[capital] / population.sum() / 2


def test_alpha_one_and_only_locals_is_plain_population() -> None:
    """With no newcomers the capital holds about its share of the population (32.5%)."""
    day = generate(3000, 0, seed=5, date=DAY, params=DemandParams(newcomer_share=0.0))
    share = sum(rider.home == CAPITAL for rider in day.riders) / len(day.riders)
    assert share == pytest.approx(92_834 / 285_390, abs=0.04)
    assert {rider.preferred_language for rider in day.riders} == {"es"}


# ---------------------------------------------------------------------------- when


def test_health_trips_are_mostly_morning_appointments(outward: list[sc.TripRequest]) -> None:
    """Health trips are arrive_by, and at least 80% of them arrive by 13:00."""
    health = [request for request in outward if request.purpose == "health"]
    assert {request.time_kind for request in health} == {"arrive_by"}
    morning = sum(dt.time(8, 30) <= request.time <= dt.time(13, 0) for request in health)
    assert morning / len(health) >= 0.8


def test_times_follow_each_purpose_profile(
    outward: list[sc.TripRequest], params: DemandParams
) -> None:
    """Every outward time falls in one of its purpose's windows, on the 5-minute grid."""
    for request in outward:
        profile = params.profiles[request.purpose]
        assert request.time_kind == profile.time_kind
        assert request.time.minute % params.time_step_min == 0
        assert any(
            dt.time.fromisoformat(start) <= request.time <= dt.time.fromisoformat(end)
            for start, end, _ in profile.windows
        )


def test_returns_leave_later_with_the_same_party(big: sc.Scenario) -> None:
    """Return trips are leave_after, at least 30 min after the outward time, same party."""
    by_id = {request.id: request for request in big.requests}
    for request in big.requests:
        if request.return_of is not None:
            outward = by_id[request.return_of]
            assert request.time_kind == "leave_after"
            assert request.purpose == outward.purpose
            assert _minutes(request.time) - _minutes(outward.time) >= 30
            party = (request.adults, request.children, request.child_seats, request.wheelchair)
            assert party == (
                outward.adults,
                outward.children,
                outward.child_seats,
                outward.wheelchair,
            )


def test_returns_are_capped_in_the_evening(big: sc.Scenario, params: DemandParams) -> None:
    """Returns leave by 21:00 but after a late leave_after trip whose shortest stay ends later."""
    by_id = {request.id: request for request in big.requests}
    returns = [(request, request.return_of) for request in big.requests if request.return_of]
    latest = dt.time.fromisoformat(params.latest_return)
    late = [by_id[outward] for request, outward in returns if request.time > latest]
    assert len(late) / len(returns) < 0.01
    assert {outward.time_kind for outward in late} <= {"leave_after"}


def test_flexibility_is_15_to_45_minutes(big: sc.Scenario) -> None:
    """Every request allows 15 to 45 minutes, and both ends of the range occur."""
    values = {request.flexibility_min for request in big.requests}
    assert min(values) == 15
    assert max(values) == 45


# ---------------------------------------------------------------------------- who


def test_children_and_wheelchair_rates(outward: list[sc.TripRequest], params: DemandParams) -> None:
    """Children travel at children_rate (school trips always), wheelchairs at wheelchair_rate."""
    school = [request for request in outward if request.purpose == "school"]
    others = [request for request in outward if request.purpose != "school"]
    assert all(request.children > 0 for request in school)
    with_children = sum(request.children > 0 for request in others) / len(others)
    assert with_children == pytest.approx(params.children_rate, abs=0.03)
    wheelchair = sum(request.wheelchair for request in outward) / len(outward)
    assert wheelchair == pytest.approx(params.wheelchair_rate, abs=0.01)


def test_parties_fit_in_a_car(big: sc.Scenario) -> None:
    """No party exceeds 4 people or 2 child seats, so some car of the fleet can take it."""
    assert max(request.seats for request in big.requests) <= MAX_PARTY
    assert max(request.child_seats for request in big.requests) <= MAX_CHILD_SEATS
    children = [request for request in big.requests if request.children]
    seats = sum(request.child_seats for request in children)
    assert 0.5 < seats / sum(request.children for request in children) <= 0.75


def test_riders_languages_follow_the_distribution(big: sc.Scenario, params: DemandParams) -> None:
    """Preferred languages follow newcomer_share x rider_languages + the Spanish-speaking locals."""
    counts = Counter(rider.preferred_language for rider in big.riders)
    total = sum(params.rider_languages.values())
    for language, weight in params.rider_languages.items():
        expected = params.newcomer_share * weight / total
        expected += (1 - params.newcomer_share) if language == "es" else 0.0
        assert counts[language] / len(big.riders) == pytest.approx(expected, abs=0.03)
    assert all(rider.languages[0] == rider.preferred_language for rider in big.riders)


# ---------------------------------------------------------------------------- drivers


def test_drivers_cars_and_shifts(big: sc.Scenario, params: DemandParams) -> None:
    """Cars have 3-4 seats, some child seats, few wheelchair places; most shifts are mornings."""
    drivers = big.drivers
    assert {driver.vehicle.seats for driver in drivers} == {3, 4}
    child = sum(driver.vehicle.child_seats > 0 for driver in drivers) / len(drivers)
    assert child == pytest.approx(params.child_seat_car_share, abs=0.06)
    wheelchair = sum(driver.vehicle.wheelchair_places > 0 for driver in drivers) / len(drivers)
    assert 0 < wheelchair < 0.1
    mornings = sum(driver.shift.end <= dt.time(15, 0) for driver in drivers) / len(drivers)
    assert mornings == pytest.approx(params.shifts[0][2], abs=0.06)
    assert all("es" in driver.languages for driver in drivers)


def test_drivers_live_more_in_bigger_towns(
    big: sc.Scenario, places: dict[str, geo.Municipality]
) -> None:
    """Drivers are population-weighted: the capital has the most, but not a third of them."""
    counts = Counter(driver.home for driver in big.drivers)
    assert counts.most_common(1)[0][0] == CAPITAL
    assert 0.1 < counts[CAPITAL] / len(big.drivers) < 0.25
    small = sum(n for code, n in counts.items() if places[code].population < 500)
    assert small / len(big.drivers) > 0.1


# ---------------------------------------------------------------------------- parameters


def test_params_round_trip_through_json(params: DemandParams) -> None:
    """to_dict/from_dict give back equal parameters, so a file can be regenerated."""
    assert DemandParams.from_dict(params.to_dict()) == params
    assert DemandParams.from_dict({}) == params


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"return_share": 1.5}, "return_share must be between 0 and 1", id="share"),
        pytest.param({"hubs": {"19999": 1.0}}, "unknown INE code", id="hub"),
        pytest.param({"purpose_shares": {"leisure": 1.0}}, "unknown", id="purpose"),
        pytest.param({"children_weights": (0.0, 0.0)}, "children_weights", id="weights"),
        pytest.param({"flexibility_min": (45, 15)}, "flexibility_min", id="flexibility"),
        pytest.param({"latest_return": "9pm"}, "not a time", id="latest-return"),
        pytest.param({"shifts": (("14:00", "08:00", 1.0),)}, "does not run forward", id="shift"),
        pytest.param({"gravity_floor_km": 0.0}, "gravity_floor_km", id="floor"),
    ],
)
def test_impossible_params_are_rejected(changes: dict[str, object], message: str) -> None:
    """Parameters that cannot be drawn from raise ValueError naming the parameter."""
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(DemandParams(), **changes)  # type: ignore[arg-type]


def test_profile_rejects_backward_windows_and_unknown_kinds() -> None:
    """A purpose profile's windows run forward and its time kind is a real one."""
    with pytest.raises(ValueError, match="runs backwards"):
        PurposeProfile("arrive_by", (("13:00", "09:00", 1.0),), (30, 60))
    with pytest.raises(ValueError, match="time_kind"):
        PurposeProfile("at", (("09:00", "13:00", 1.0),), (30, 60))


def test_params_are_read_only(params: DemandParams) -> None:
    """Shares cannot be changed behind a generator's back."""
    with pytest.raises(TypeError):
        params.hubs["19130"] = 0.0  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.return_share = 0.0  # type: ignore[misc]


def test_model_parameters_steer_the_output() -> None:
    """Turning hub_share and return_share to 0 sends no trip to a hub and brings nobody back."""
    custom = DemandParams(hub_share=0.0, return_share=0.0, capital_share={})
    day = generate(500, 0, seed=4, date=DAY, params=custom)
    assert all(request.return_of is None for request in day.requests)
    assert not any(request.destination in custom.hubs for request in day.requests)
