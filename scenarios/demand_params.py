"""The demand model's parameters (:class:`DemandParams`), checked when made; see
:mod:`scenarios.demand` for what each one means and why its default."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from geo.gazetteer import gazetteer
from scenarios.entities import (
    PURPOSES,
    TIME_KINDS,
)

T = TypeVar("T")

#: Largest party a car takes (4 passenger seats) and most child seats a car carries.
MAX_PARTY = 4
MAX_CHILD_SEATS = 2
_DAY_END = 24 * 60

Window = tuple[str, str, float]


@dataclass(frozen=True)
class PurposeProfile:
    """When trips of one purpose happen, which end is fixed, and how long the rider stays."""

    time_kind: str
    #: (earliest "HH:MM", latest "HH:MM", weight): the fixed time is drawn in one of them.
    windows: tuple[Window, ...]
    #: (shortest, longest) minutes between arriving and the return trip.
    stay_min: tuple[int, int]

    def __post_init__(self) -> None:
        """Normalise lists read from JSON and reject windows that run backwards."""
        object.__setattr__(self, "windows", tuple(tuple(window) for window in self.windows))
        object.__setattr__(self, "stay_min", tuple(self.stay_min))
        if self.time_kind not in TIME_KINDS:
            raise ValueError(f"time_kind {self.time_kind!r} is not one of {TIME_KINDS}")
        if not self.windows:
            raise ValueError("a purpose profile needs at least one time window")
        for start, end, weight in self.windows:
            if _minutes(end) < _minutes(start) or weight < 0:
                raise ValueError(f"window {start}-{end} (weight {weight}) runs backwards")
        _check_weights("windows", [window[2] for window in self.windows])
        low, high = self.stay_min
        if not 5 <= low <= high:
            raise ValueError(f"stay_min {self.stay_min} must be 5 <= shortest <= longest")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for the scenario's params."""
        return {
            "time_kind": self.time_kind,
            "windows": [list(window) for window in self.windows],
            "stay_min": list(self.stay_min),
        }


def _profiles() -> Mapping[str, PurposeProfile]:
    """Default time-of-day profiles (see the module docstring)."""
    return MappingProxyType(
        {
            "health": PurposeProfile(
                "arrive_by", (("08:30", "13:00", 0.85), ("16:00", "18:30", 0.15)), (30, 90)
            ),
            "shopping": PurposeProfile(
                "leave_after", (("10:00", "12:30", 0.8), ("17:00", "19:00", 0.2)), (60, 120)
            ),
            "administration": PurposeProfile("arrive_by", (("09:00", "13:30", 1.0),), (30, 90)),
            "training_work": PurposeProfile(
                "arrive_by", (("08:00", "10:00", 0.6), ("15:30", "17:00", 0.4)), (120, 240)
            ),
            "school": PurposeProfile("arrive_by", (("08:30", "09:00", 1.0),), (290, 320)),
            "other": PurposeProfile("leave_after", (("09:00", "19:00", 1.0),), (60, 240)),
        }
    )


def _frozen(mapping: Mapping[str, T]) -> Callable[[], Mapping[str, T]]:
    """A default factory for a read-only mapping field."""
    return lambda: MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class DemandParams:
    """Every assumption of the demand model; the module docstring justifies the defaults."""

    # Riders' homes.
    newcomer_share: float = 0.9
    newcomer_home_alpha: float = 0.5
    local_home_alpha: float = 1.0
    # Destinations.
    hubs: Mapping[str, float] = field(
        default_factory=_frozen(
            {
                "19130": 2.0,  # Guadalajara
                "19046": 2.0,  # Azuqueca de Henares
                "19257": 2.0,  # Sigüenza
                "19190": 2.0,  # Molina de Aragón
                "19053": 1.0,  # Brihuega
                "19212": 1.0,  # Pastrana
                "19086": 1.0,  # Cifuentes
                "19245": 1.0,  # Sacedón
                "19156": 1.0,  # Jadraque
                "19044": 1.0,  # Atienza
                "19192": 1.0,  # Mondéjar
                "19071": 1.0,  # El Casar
                "19058": 1.0,  # Cabanillas del Campo
                "19024": 1.0,  # Alovera
            }
        )
    )
    capital: str = "19130"
    gravity_beta: float = 2.0
    gravity_floor_km: float = 5.0
    hub_share: float = 0.9
    capital_share: Mapping[str, float] = field(
        default_factory=_frozen(
            {"health": 0.2, "administration": 0.3, "training_work": 0.15, "other": 0.1}
        )
    )
    # Purposes and times.
    purpose_shares: Mapping[str, float] = field(
        default_factory=_frozen(
            {
                "health": 0.35,
                "shopping": 0.20,
                "administration": 0.15,
                "training_work": 0.18,
                "school": 0.04,
                "other": 0.08,
            }
        )
    )
    profiles: Mapping[str, PurposeProfile] = field(default_factory=_profiles)
    time_step_min: int = 5
    flexibility_min: tuple[int, int] = (15, 45)
    return_share: float = 0.7
    latest_return: str = "21:00"
    # Party and needs.
    second_adult_rate: float = 0.15
    children_rate: float = 0.2
    children_weights: tuple[float, ...] = (0.55, 0.30, 0.15)
    child_seat_rate: float = 0.7
    wheelchair_rate: float = 0.02
    # Riders' languages.
    rider_languages: Mapping[str, float] = field(
        default_factory=_frozen(
            {"ar": 0.30, "ro": 0.25, "es": 0.15, "fr": 0.12, "uk": 0.10, "en": 0.08}
        )
    )
    rider_second_languages: Mapping[str, float] = field(
        default_factory=_frozen({"es": 0.30, "fr": 0.10, "en": 0.15})
    )
    # Drivers.
    driver_home_alpha: float = 0.75
    driver_languages: Mapping[str, float] = field(
        default_factory=_frozen({"en": 0.30, "fr": 0.10, "ro": 0.05, "ar": 0.03, "uk": 0.02})
    )
    four_seat_share: float = 0.6
    child_seat_car_share: float = 0.35
    two_child_seats_share: float = 0.25
    wheelchair_car_share: float = 0.05
    shifts: tuple[Window, ...] = (
        ("07:30", "14:30", 0.65),
        ("08:00", "18:00", 0.15),
        ("14:00", "20:00", 0.20),
    )
    shift_jitter_min: int = 30

    def __post_init__(self) -> None:
        """Freeze mappings, turn JSON lists into tuples and reject impossible values."""
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Mapping):
                object.__setattr__(self, item.name, MappingProxyType(dict(value)))
            elif isinstance(value, list | tuple):
                object.__setattr__(self, item.name, _tupled(value))
        _check_params(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON, in field order, for the scenario file's ``params``."""
        return {item.name: _plain(getattr(self, item.name)) for item in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DemandParams:
        """Rebuild parameters from a scenario's ``params`` (missing keys take the defaults)."""
        names = {item.name for item in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"unknown demand parameter(s) {unknown}")
        values = dict(data)
        if "profiles" in values:
            values["profiles"] = {
                purpose: PurposeProfile(**profile)
                for purpose, profile in values["profiles"].items()
            }
        return cls(**values)


def _tupled(value: Any) -> Any:
    """Lists (from JSON) become tuples, all the way down."""
    if isinstance(value, list | tuple):
        return tuple(_tupled(item) for item in value)
    return value


def _plain(value: Any) -> Any:
    """Parameters as JSON values: mappings to objects, tuples to lists."""
    if isinstance(value, PurposeProfile):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


_SHARES = (
    "newcomer_share", "hub_share", "return_share", "second_adult_rate", "children_rate",
    "child_seat_rate", "wheelchair_rate", "four_seat_share", "child_seat_car_share",
    "two_child_seats_share", "wheelchair_car_share",
)  # fmt: skip


def _check_params(params: DemandParams) -> None:
    """Shares are probabilities, weights are usable, places and purposes exist."""
    for name in _SHARES:
        value = getattr(params, name)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {value}")
    for name, share in params.capital_share.items():
        if name not in PURPOSES or not 0.0 <= share <= 1.0:
            raise ValueError(f"capital_share[{name!r}] = {share}: needs a purpose and 0..1")
    codes = {place.ine_code for place in gazetteer()}
    bad = sorted(set(params.hubs) - codes) + (
        [params.capital] if params.capital not in codes else []
    )
    if bad:
        raise ValueError(f"unknown INE code(s) {bad} among hubs / capital")
    _check_weights("hubs", list(params.hubs.values()))
    _check_weights("purpose_shares", list(params.purpose_shares.values()))
    _check_weights("children_weights", list(params.children_weights))
    _check_weights("rider_languages", list(params.rider_languages.values()))
    _check_weights("shifts", [shift[2] for shift in params.shifts])
    unknown = sorted(set(params.purpose_shares) - set(PURPOSES))
    missing = sorted(set(params.purpose_shares) - set(params.profiles))
    if unknown or missing:
        raise ValueError(f"purposes {unknown} are unknown, {missing} have no profile")
    _check_ranges(params)


def _check_ranges(params: DemandParams) -> None:
    """Exponents, grids and time ranges that the draws can use."""
    if min(params.newcomer_home_alpha, params.local_home_alpha, params.driver_home_alpha) < 0:
        raise ValueError("home alphas must be >= 0")
    if params.gravity_beta < 0 or params.gravity_floor_km <= 0:
        raise ValueError("gravity_beta must be >= 0 and gravity_floor_km > 0")
    if not 1 <= params.time_step_min <= 60 or params.shift_jitter_min < 0:
        raise ValueError("time_step_min must be 1..60 and shift_jitter_min >= 0")
    low, high = params.flexibility_min
    if not 0 <= low <= high:
        raise ValueError(f"flexibility_min {params.flexibility_min} must be 0 <= low <= high")
    _minutes(params.latest_return)
    for start, end, _ in params.shifts:
        if _minutes(end) <= _minutes(start):
            raise ValueError(f"shift {start}-{end} does not run forward")


def _check_weights(name: str, weights: Sequence[float]) -> None:
    """Weights to draw from: finite, none negative, not all zero."""
    if not weights or any(not math.isfinite(w) or w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError(f"{name} needs non-negative weights with a positive sum, got {weights}")


def _minutes(text: str) -> int:
    """Minutes since midnight of an ``HH:MM`` parameter."""
    try:
        time = dt.time.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a time HH:MM") from None
    return time.hour * 60 + time.minute
