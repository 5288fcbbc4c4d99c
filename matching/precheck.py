"""Per-request pre-checks that decide, exactly, whether a request could be served alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from matching.instance import Instance
from matching.problem import CAPACITY_NAMES
from matching.reasons import CAPACITY_REASONS, Reason
from matching.schedule import earliest
from matching.stops import dropoff, pickup


@dataclass(frozen=True)
class Verdict:
    """Outcome of the pre-checks for one request: the reason, an English sentence for logs,
    and the figures behind it (``params``, see ``matching.solution.Unassigned``)."""

    reason: Reason | None
    detail: str
    vehicles: tuple[int, ...]
    params: Mapping[str, int | str] = field(default_factory=dict, hash=False)


def _dimension_reason(dim: int) -> Reason:
    """Reason code for a shortfall in capacity dimension ``dim``."""
    return CAPACITY_REASONS[dim] if dim < len(CAPACITY_REASONS) else Reason.NO_VEHICLE_FITS_LOAD


def _dimension_name(dim: int) -> str:
    """Readable name of capacity dimension ``dim``."""
    return CAPACITY_NAMES[dim] if dim < len(CAPACITY_NAMES) else f"dimension {dim}"


def check_request(inst: Instance, i: int) -> Verdict:
    """Decide whether request index ``i`` fits some vehicle alone, and if not, why.

    ``vehicles`` lists the vehicle indices on which the request alone has a feasible route.
    """
    request = inst.problem.requests[i]
    p, d = pickup(i), dropoff(i)
    direct = inst.time[inst.node[p]][inst.node[d]]
    low = max(request.dropoff_window[0] - request.pickup_window[1], inst.service[p] + direct)
    high = min(request.dropoff_window[1] - request.pickup_window[0], inst.ride_limit[p])
    if low > high:
        return Verdict(
            Reason.DIRECT_TRIP_TOO_LONG,
            f"the direct trip takes {direct} s; windows and the ride limit of "
            f"{request.max_ride_time} s leave no time for it",
            (),
            {"direct_s": direct, "ride_limit_s": inst.ride_limit[p]},
        )
    covering = [
        k
        for k in range(inst.m)
        if inst.early[inst.start_stop(k)] <= inst.late[p]
        and inst.late[inst.end_stop(k)] >= inst.early[d]
    ]
    if not covering:
        return Verdict(Reason.NO_SHIFT_COVERS_WINDOW, "no driver shift overlaps the trip", ())
    need = request.load
    for dim, amount in enumerate(need):
        if amount > 0 and not any(inst.capacity[k][dim] >= amount for k in covering):
            return Verdict(
                _dimension_reason(dim),
                f"needs {amount} {_dimension_name(dim)}; no shift in its window has that many",
                (),
                {"amount": amount, "dimension": _dimension_name(dim)},
            )
    fitting = [
        k for k in covering if all(a <= c for a, c in zip(need, inst.capacity[k], strict=True))
    ]
    if not fitting:
        return Verdict(
            Reason.NO_VEHICLE_FITS_LOAD,
            f"needs {need}; no single vehicle in its window has all of these places",
            (),
            {_dimension_name(dim): amount for dim, amount in enumerate(need) if amount > 0},
        )
    feasible = tuple(k for k in fitting if earliest(inst, k, [p, d]) is not None)
    if not feasible:
        return Verdict(
            Reason.UNREACHABLE_IN_SHIFT,
            "no shift can reach the pickup, deliver and return within its hours",
            (),
        )
    return Verdict(None, "", feasible)


def check_all(inst: Instance) -> list[Verdict]:
    """Pre-check every request; linked partners of impossible requests inherit a reason."""
    return with_partner_reasons(inst, [check_request(inst, i) for i in range(inst.n)])


def with_partner_reasons(inst: Instance, verdicts: list[Verdict]) -> list[Verdict]:
    """The verdicts, a possible request whose linked trip is impossible made impossible too
    (nobody is taken to a place they cannot come back from, or fetched from one they never
    reached)."""
    result = list(verdicts)
    for i, verdict in enumerate(verdicts):
        j = inst.partner[i]
        partner_reason = verdicts[j].reason if j >= 0 else None
        if verdict.reason is None and partner_reason is not None:
            partner_id = inst.request_ids[j]
            result[i] = Verdict(
                Reason.LINKED_TRIP_UNSERVED,
                f"its linked trip {partner_id} cannot be served ({partner_reason.value})",
                verdict.vehicles,
                {"partner": partner_id, "partner_reason": partner_reason.value},
            )
    return result
