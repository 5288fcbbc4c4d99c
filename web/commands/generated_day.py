"""The options that pick a generated day (scenarios.scale's demand model), shared by the bench
commands so that each names the same day the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from scenarios import scale

F = TypeVar("F", bound=Callable[..., object])


def generated_day_options(command: F) -> F:
    """Add ``--seed`` and ``--date`` (passed as ``seed`` and ``day``) to a click command."""
    command = click.option(
        "--date",
        "day",
        type=click.DateTime(["%Y-%m-%d"]),
        default=scale.DEFAULT_DATE.isoformat(),
        show_default=True,
    )(command)
    return click.option("--seed", type=int, default=scale.DEFAULT_SEED, show_default=True)(command)
