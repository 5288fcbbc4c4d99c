"""The OR-Tools routing model of the problem: the only module that imports OR-Tools.

``build_model`` turns an Instance into a routing model (pickup-and-delivery pairs, time and
capacity dimensions, shifts, disjunction penalties, the pickup-to-delivery ride limit);
``search_parameters`` sets the search; ``extract_routes`` reads stop lists back. The returned
routes are not trusted: the caller re-times them exactly and repairs them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

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


def build_model(
    inst: Instance,
    requests: list[int],
    vehicles: list[int],
    penalties: list[int],
    *,
    side_constraints: bool = False,
    fixed_vehicle: dict[int, int] | None = None,
    language_bonus: int = 0,
    distance_weight: int = 1,
) -> Model:
    """Build the routing model for the given request and vehicle indices.

    ``penalties[i]`` is the cost of leaving request i unserved (0 = mandatory).
    ``side_constraints`` adds the textbook same-vehicle, precedence and ride-limit constraints
    through ``solver.Add``, which makes insertion heuristics slow on large instances.
    ``fixed_vehicle`` maps request index to the vehicle index it must ride on (locks).
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
    node_of = [inst.node[s] for s in stop_of_index]
    service_of = [inst.service[s] for s in stop_of_index]
    dist = inst.dist
    travel = inst.time
    callbacks: list[Callable[..., int]] = []

    def distance_cost(a: int, b: int) -> int:
        return distance_weight * dist[node_of[a]][node_of[b]]

    def transit_time(a: int, b: int) -> int:
        return service_of[a] + travel[node_of[a]][node_of[b]]

    callbacks += [distance_cost, transit_time]
    cost_index = routing.RegisterTransitCallback(distance_cost)
    if language_bonus and any(any(row) for row in inst.language_match):
        _language_costs(
            inst, routing, vehicles, stop_of_index, distance_cost, language_bonus, callbacks
        )
    else:
        routing.SetArcCostEvaluatorOfAllVehicles(cost_index)
    time_dimension = _time_dimension(inst, routing, vehicles, stop_of_index, transit_time)
    _load_dimensions(inst, routing, requests, vehicles, stop_of_index, callbacks)
    model = Model(manager, routing, time_dimension, list(vehicles), stop_of_index, callbacks)
    position = {k: v for v, k in enumerate(vehicles)}
    for pair, i in enumerate(requests):
        locked = fixed_vehicle.get(i) if fixed_vehicle is not None else None
        fixed = None if locked is None else position[locked]
        _pickup_and_delivery(inst, model, pair, i, penalties[i], side_constraints, fixed)
    return model


def _time_dimension(
    inst: Instance,
    routing: pywrapcp.RoutingModel,
    vehicles: list[int],
    stop_of_index: list[int],
    transit_time: Callable[[int, int], int],
) -> pywrapcp.RoutingDimension:
    """The time dimension: windows of every stop, shift hours and maximum durations, start and
    end times minimised by finalizers."""
    time_index = routing.RegisterTransitCallback(transit_time)
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
    stop_of_index: list[int],
    callbacks: list[Callable[..., int]],
) -> None:
    """One capacity dimension per kind of place some request needs (seats, child seats...)."""
    dims = len(inst.capacity[vehicles[0]]) if vehicles else 0
    for dim in range(dims):
        if not any(inst.load[pickup(i)][dim] for i in requests):
            continue

        def demand(a: int, dim: int = dim) -> int:
            return inst.load[stop_of_index[a]][dim]

        callbacks.append(demand)
        demand_index = routing.RegisterUnaryTransitCallback(demand)
        routing.AddDimensionWithVehicleCapacity(
            demand_index, 0, [inst.capacity[k][dim] for k in vehicles], True, f"load{dim}"
        )


def _pickup_and_delivery(
    inst: Instance,
    model: Model,
    pair: int,
    i: int,
    penalty: int,
    side_constraints: bool,
    fixed: int | None,
) -> None:
    """Request i as the model's ``pair``-th pickup-and-delivery pair: ride limit, and either
    its locked vehicle position ``fixed`` or a penalty for leaving it out (0 = mandatory)."""
    manager, routing, time_dimension = model.manager, model.routing, model.time_dimension
    # The model's nodes list its requests' stops first, numbered as ours are.
    p = manager.NodeToIndex(pickup(pair))
    d = manager.NodeToIndex(dropoff(pair))
    routing.AddPickupAndDelivery(p, d)
    limit = inst.ride_limit[pickup(i)]

    def ride_limit(_a: int, _b: int, limit: int = limit) -> int:
        return limit

    model.callbacks.append(ride_limit)
    time_dimension.SetPickupToDeliveryLimitFunctionForPair(ride_limit, pair)
    if side_constraints:
        solver = routing.solver()
        solver.Add(routing.VehicleVar(p) == routing.VehicleVar(d))
        solver.Add(time_dimension.CumulVar(p) <= time_dimension.CumulVar(d))
        solver.Add(time_dimension.CumulVar(d) - time_dimension.CumulVar(p) <= limit)
    if fixed is not None:
        routing.VehicleVar(p).SetValues([fixed])
        routing.VehicleVar(d).SetValues([fixed])
    elif penalty > 0:
        routing.AddDisjunction([p], penalty)
        routing.AddDisjunction([d], penalty)


def _language_costs(
    inst: Instance,
    routing: pywrapcp.RoutingModel,
    vehicles: list[int],
    stop_of_index: list[int],
    distance_cost: Callable[[int, int], int],
    bonus: int,
    callbacks: list[Callable[..., int]],
) -> None:
    """Per-vehicle arc costs that reward arriving at a pickup of a rider sharing a language.

    The reward is kept below the distance of the arc so arc costs stay non-negative; the exact
    bonus is applied by the search that follows.
    """
    # Per routing index, the request picked up there (-1 elsewhere), read by the callbacks.
    rider = [
        request_of(s) if is_pickup(s) and request_of(s) < inst.n else -1 for s in stop_of_index
    ]
    match = inst.language_match
    for v, k in enumerate(vehicles):

        def cost(a: int, b: int, k: int = k) -> int:
            base = distance_cost(a, b)
            i = rider[b]
            if i >= 0 and match[i][k]:
                return max(0, base - bonus)
            return base

        callbacks.append(cost)
        routing.SetArcCostEvaluatorOfVehicle(routing.RegisterTransitCallback(cost), v)


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
