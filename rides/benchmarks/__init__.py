"""Benchmarks of planning on generated days of the province (``rural-cars bench ...``)."""
