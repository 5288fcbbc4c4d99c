"""Why a request is not served: codes a coordinator can act on."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Reason codes for unserved requests, decided by per-request pre-checks."""

    NO_SHIFT_COVERS_WINDOW = "no_shift_covers_window"
    NO_WHEELCHAIR_PLACE = "no_wheelchair_place"
    NO_CHILD_SEATS = "no_child_seats"
    NOT_ENOUGH_SEATS = "not_enough_seats"
    NO_VEHICLE_FITS_LOAD = "no_vehicle_fits_load"
    DIRECT_TRIP_TOO_LONG = "direct_trip_too_long"
    UNREACHABLE_IN_SHIFT = "unreachable_in_shift"
    LINKED_TRIP_UNSERVED = "linked_trip_unserved"
    LOCKED_ROUTE_INFEASIBLE = "locked_route_infeasible"
    NO_CAPACITY_LEFT = "no_capacity_left"

    @property
    def infeasible_alone(self) -> bool:
        """True if the request cannot be served even with every other request removed."""
        return self not in {
            Reason.LINKED_TRIP_UNSERVED,
            Reason.LOCKED_ROUTE_INFEASIBLE,
            Reason.NO_CAPACITY_LEFT,
        }


#: Reason for a shortfall in each capacity dimension, by dimension index.
CAPACITY_REASONS: tuple[Reason, ...] = (
    Reason.NOT_ENOUGH_SEATS,
    Reason.NO_CHILD_SEATS,
    Reason.NO_WHEELCHAIR_PLACE,
)
