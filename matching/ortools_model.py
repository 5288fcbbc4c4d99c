"""The OR-Tools routing model of the problem: the only module that imports OR-Tools.

``build_model`` turns an Instance into a routing model (pickup-and-delivery pairs, time and
capacity dimensions, shifts, disjunction penalties, the pickup-to-delivery ride limit, each
request restricted to the shifts that could serve it alone); it is the plain OR-Tools baseline
of the benchmarks (issue 20), built as a competent OR-Tools user would: matrices and vectors
rather than Python callbacks, no ``solver.Add`` side constraints;
``search_parameters`` sets the search; ``extract_routes`` reads stop lists back. The returned
routes are not trusted: the caller re-times them exactly and repairs them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from matching.allocator import search_allocator
from matching.instance import Instance
from matching.stops import dropoff, end_of, is_pickup, pickup, request_of, start_of


@dataclass(eq=False)
class Model:
    """A built routing model and the maps between its indices and our stop numbers."""

    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel
    time_dimension: pywrapcp.RoutingDimension
    vehicles: list[int]
    stop_of_index: list[int]
    callbacks: list[Callable[..., int]]


#: The baseline's first-solution strategy (measured at 1,000 requests against
#: LOCAL_CHEAPEST_COST_INSERTION, see docs/benchmarks-scale.md).
BASELINE_FIRST_SOLUTION = "PARALLEL_CHEAPEST_INSERTION"


def build_model(
    inst: Instance,
    requests: list[int],
    vehicles: list[int],
    penalties: list[int],
    *,
    allowed: dict[int, tuple[int, ...]] | None = None,
    fixed_vehicle: dict[int, int] | None = None,
    language_bonus: int = 0,
    distance_weight: int = 1,
) -> Model:
    """Build the routing model for the given request and vehicle indices.

    ``penalties[i]`` is the cost of leaving request i unserved (0 = mandatory); a linked pair
    (``inst.partner``) is one disjunction paying both penalties once. ``allowed`` maps request
    index to the vehicle indices that could serve it alone (the exact pre-check): its stops
    may ride on those only. ``fixed_vehicle`` maps request index to the vehicle index it must
    ride on (locks). No ``solver.Add`` side constraints: the pickup-and-delivery pairs and the
    pickup-to-delivery limit hold them, so the insertion heuristics stay fast.
    """
    stops: list[int] = []
    for i in requests:
        stops += [pickup(i), dropoff(i)]
    for k in vehicles:
        stops += [inst.start_stop(k), inst.end_stop(k)]
    # The model's nodes are numbered like our stops: its requests', then its vehicles' ends.
    starts = [start_of(len(requests), v) for v in range(len(vehicles))]
    ends = [end_of(len(requests), v) for v in range(len(vehicles))]
    manager = pywrapcp.RoutingIndexManager(len(stops), len(vehicles), starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    size = routing.Size() + routing.vehicles()
    stop_of_index = [stops[manager.IndexToNode(x)] for x in range(size)]
    places = np.asarray([inst.node[s] for s in stops], dtype=np.int64)
    dist = np.asarray(inst.problem.distances, dtype=np.int64)[np.ix_(places, places)]
    dist *= distance_weight
    service = np.asarray([inst.service[s] for s in stops], dtype=np.int64)
    travel = np.asarray(inst.problem.durations, dtype=np.int64)[np.ix_(places, places)]
    travel += service[:, None]
    _arc_costs(inst, routing, vehicles, stops, dist, language_bonus)
    time_index = routing.RegisterTransitMatrix(travel.tolist())
    del travel
    time_dimension = _time_dimension(inst, routing, vehicles, stop_of_index, time_index)
    _load_dimensions(inst, routing, requests, vehicles, stops)
    model = Model(manager, routing, time_dimension, list(vehicles), stop_of_index, [])
    position = {k: v for v, k in enumerate(vehicles)}
    pair_of = {i: pair for pair, i in enumerate(requests)}
    for pair, i in enumerate(requests):
        locked = fixed_vehicle.get(i) if fixed_vehicle is not None else None
        if locked is not None:
            shifts: list[int] | None = [position[locked]]
        elif allowed is not None and i in allowed:
            shifts = [position[k] for k in allowed[i] if k in position]
        else:
            shifts = None
        _pickup_and_delivery(inst, model, pair, shifts, optional=locked is None)
    _disjunctions(inst, model, requests, penalties, pair_of, fixed_vehicle or {})
    return model


def _arc_costs(
    inst: Instance,
    routing: pywrapcp.RoutingModel,
    vehicles: list[int],
    stops: list[int],
    dist: np.ndarray,
    bonus: int,
) -> None:
    """Distance as the arc cost of every shift; with a language bonus, each rider served in a
    shift that does not speak their language costs ``bonus`` more, counted by a dimension.

    Per shift that is the day's objective (distance - bonus x riders in their language) plus
    bonus x riders served, a term the unserved penalties dwarf: plans that serve the same
    riders are ranked exactly as ``Weights`` ranks them. The dimension counts, for each shift,
    the pickups of riders whose language it does not speak (one unary vector per group of
    shifts with the same matches), and its span is what the bonus multiplies. It replaced one
    distance matrix per group, which did not fit in memory on large days (issue 20).
    """
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(dist.tolist()))
    if not bonus:
        return
    riders = [request_of(s) if is_pickup(s) and request_of(s) < inst.n else -1 for s in stops]
    if all(i < 0 or inst.language_match[i][k] for k in vehicles for i in riders):
        return  # every shift (if any) speaks every rider's language: nothing to count
    groups: dict[tuple[int, ...], int] = {}  # one unary vector per group of shifts
    evaluators = []
    for k in vehicles:
        unmatched = tuple(int(i >= 0 and not inst.language_match[i][k]) for i in riders)
        if unmatched not in groups:
            groups[unmatched] = routing.RegisterUnaryTransitVector(list(unmatched))
        evaluators.append(groups[unmatched])
    routing.AddDimensionWithVehicleTransits(evaluators, 0, len(stops), True, "language")
    routing.GetDimensionOrDie("language").SetSpanCostCoefficientForAllVehicles(bonus)


def _time_dimension(
    inst: Instance,
    routing: pywrapcp.RoutingModel,
    vehicles: list[int],
    stop_of_index: list[int],
    time_index: int,
) -> pywrapcp.RoutingDimension:
    """The time dimension: windows of every stop, shift hours and maximum durations, start and
    end times minimised by finalizers."""
    routing.AddDimension(time_index, inst.horizon, inst.horizon, False, "time")
    time_dimension = routing.GetDimensionOrDie("time")
    for x in range(routing.Size()):
        if routing.IsStart(x):
            continue
        s = stop_of_index[x]
        time_dimension.CumulVar(x).SetRange(inst.early[s], inst.late[s])
    for v, k in enumerate(vehicles):
        start, end = routing.Start(v), routing.End(v)
        time_dimension.CumulVar(start).SetRange(
            inst.early[inst.start_stop(k)], inst.late[inst.start_stop(k)]
        )
        time_dimension.CumulVar(end).SetRange(
            inst.early[inst.end_stop(k)], inst.late[inst.end_stop(k)]
        )
        time_dimension.SetSpanUpperBoundForVehicle(inst.max_duration[k], v)
        routing.AddVariableMinimizedByFinalizer(time_dimension.CumulVar(start))
        routing.AddVariableMinimizedByFinalizer(time_dimension.CumulVar(end))
    return time_dimension


def _load_dimensions(
    inst: Instance,
    routing: pywrapcp.RoutingModel,
    requests: list[int],
    vehicles: list[int],
    stops: list[int],
) -> None:
    """One capacity dimension per kind of place some request needs (seats, child seats...),
    its demands a vector by node."""
    dims = len(inst.capacity[vehicles[0]]) if vehicles else 0
    for dim in range(dims):
        if not any(inst.load[pickup(i)][dim] for i in requests):
            continue
        demand_index = routing.RegisterUnaryTransitVector([inst.load[s][dim] for s in stops])
        routing.AddDimensionWithVehicleCapacity(
            demand_index, 0, [inst.capacity[k][dim] for k in vehicles], True, f"load{dim}"
        )


def _pickup_and_delivery(
    inst: Instance, model: Model, pair: int, shifts: list[int] | None, *, optional: bool
) -> None:
    """The model's ``pair``-th pickup-and-delivery pair: ride limit, and the vehicle positions
    ``shifts`` it may ride on (None = any; -1 added when it may stay unserved)."""
    manager, routing, time_dimension = model.manager, model.routing, model.time_dimension
    # The model's nodes list its requests' stops first, numbered as ours are.
    p = manager.NodeToIndex(pickup(pair))
    d = manager.NodeToIndex(dropoff(pair))
    routing.AddPickupAndDelivery(p, d)
    limit = inst.ride_limit[model.stop_of_index[p]]

    def ride_limit(_a: int, _b: int, limit: int = limit) -> int:
        return limit

    model.callbacks.append(ride_limit)
    time_dimension.SetPickupToDeliveryLimitFunctionForPair(ride_limit, pair)
    if shifts is not None:
        values = ([-1] if optional else []) + shifts
        routing.VehicleVar(p).SetValues(values)
        routing.VehicleVar(d).SetValues(values)


def _disjunctions(
    inst: Instance,
    model: Model,
    requests: list[int],
    penalties: list[int],
    pair_of: dict[int, int],
    fixed_vehicle: dict[int, int],
) -> None:
    """Let optional requests go unserved at their penalty; a linked pair (both in the model,
    neither locked) is one disjunction of both pickups with cardinality 2 that pays both
    penalties once if not both are served (one leg alone earns nothing). Drop-offs follow
    their pickups (same vehicle, both active or neither), so theirs cost nothing."""
    manager, routing = model.manager, model.routing
    done: set[int] = set()
    for i in requests:
        if i in done or i in fixed_vehicle or penalties[i] <= 0:
            continue
        j = inst.partner[i]
        pairs = [i]
        if j >= 0 and j in pair_of and j not in fixed_vehicle and penalties[j] > 0:
            pairs.append(j)
        done.update(pairs)
        ps = [manager.NodeToIndex(pickup(pair_of[r])) for r in pairs]
        ds = [manager.NodeToIndex(dropoff(pair_of[r])) for r in pairs]
        penalty = sum(penalties[r] for r in pairs)
        once = routing.PENALIZE_ONCE
        routing.AddDisjunction(ps, penalty, len(ps), once)
        routing.AddDisjunction(ds, 0, len(ds), once)


def search_parameters(
    time_limit: float,
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION",
    metaheuristic: str = "GUIDED_LOCAL_SEARCH",
    *,
    first_solution_only: bool = False,
) -> pywrapcp.DefaultRoutingSearchParameters:
    """Search parameters: strategy names as in OR-Tools' enums, a wall-clock limit."""
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, first_solution
    )
    if first_solution_only:
        params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.AUTOMATIC
        params.solution_limit = 1
    else:
        params.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, metaheuristic
        )
    seconds = max(0.01, time_limit)
    params.time_limit.seconds = int(seconds)
    params.time_limit.nanos = int((seconds - int(seconds)) * 1e9)
    return params


def solve_model(
    model: Model, params: pywrapcp.DefaultRoutingSearchParameters
) -> tuple[pywrapcp.Assignment | None, float]:
    """Run the OR-Tools search; returns the assignment (or None) and the seconds it took."""
    started = time.monotonic()
    with search_allocator():
        assignment = model.routing.SolveWithParameters(params)
    return assignment, time.monotonic() - started


def extract_routes(model: Model, assignment: pywrapcp.Assignment) -> dict[int, list[int]]:
    """Stop lists (our stop numbers, depots excluded) per vehicle index of the instance."""
    routing = model.routing
    routes: dict[int, list[int]] = {}
    for v, k in enumerate(model.vehicles):
        stops: list[int] = []
        x = assignment.Value(routing.NextVar(routing.Start(v)))
        while not routing.IsEnd(x):
            stops.append(model.stop_of_index[x])
            x = assignment.Value(routing.NextVar(x))
        routes[k] = stops
    return routes


def solve_set_partitioning(
    costs: list[int],
    members: list[tuple[int, ...]],
    groups: list[int],
    cover: list[int],
    group_limits: dict[int, int],
    hint: list[int],
    time_limit: float,
    backend: str = "SCIP",
) -> list[int] | None:
    """Pick routes from a pool: each request of ``cover`` exactly once, least total cost.

    ``members[r]`` are the requests of route r, ``groups[r]`` its vehicle class, of which at
    most ``group_limits[class]`` routes may be chosen. ``hint`` (route indices) is a known
    feasible choice given to the MIP solver as a start; ``time_limit`` may be infinite.
    Returns the chosen route indices, or None if no solution was found in time.
    """
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver(backend)
    if solver is None:
        return None
    chosen = [solver.BoolVar(f"r{r}") for r in range(len(costs))]
    by_request: dict[int, list[int]] = {i: [] for i in cover}
    by_group: dict[int, list[int]] = {}
    for r, requests in enumerate(members):
        for i in requests:
            by_request[i].append(r)
        by_group.setdefault(groups[r], []).append(r)
    for i in cover:
        solver.Add(solver.Sum([chosen[r] for r in by_request[i]]) == 1)
    for group, routes in by_group.items():
        solver.Add(solver.Sum([chosen[r] for r in routes]) <= group_limits.get(group, 0))
    objective = solver.Objective()
    for cost, var in zip(costs, chosen, strict=True):
        objective.SetCoefficient(var, cost)
    objective.SetMinimization()
    hinted = set(hint)
    solver.SetHint(chosen, [1.0 if r in hinted else 0.0 for r in range(len(chosen))])
    solver.SetNumThreads(1)
    if math.isfinite(time_limit):  # an infinite budget (a run without a deadline): no limit
        solver.SetTimeLimit(max(10, int(time_limit * 1000)))
    status = solver.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    return [r for r, var in enumerate(chosen) if var.solution_value() > 0.5]
