"""The searches of the solver, split the way PyVRP splits its search.

* ``route``: route and plan state (a route with the caches insertion reads; a plan).
* ``state``: what may move and where each request rides; the edits every operator makes.
* ``insertion``: the cheapest feasible place of a request in a route (screen, exact timing).
* ``destroy``: removal operators (whole-plan ones for the LNS, local ones for the granular
  search).
* ``repair``: the one regret insertion, sequential insertion, the LNS's repair operators.
* ``accept``: simulated annealing after the served priority.
* ``stop``: when a run stops (time, iterations) and how far along it is.
* ``set_partitioning``: a pool of routes met, recombined by a MIP.
* ``lns``: the adaptive large-neighbourhood search of ``matching.solve``.
* ``granular``: the granular search of ``matching.solve_large``.
* ``eject``: ejection chains for the last unserved trips (the granular search and
  ``solve_large``).
"""
