"""Reliability figures of issue 8: fuzzing, load, concurrency and faults, each a command.

Run them as ``python -m tests.reliability.<fuzz|load|concurrency|faults>``; each prints a
table and exits non-zero when a target is missed. docs/reliability.md keeps the latest figures.
The ``test_*`` modules here run the same checks with small counts in CI.
"""
