"""The example scenario as decoded JSON and as read, for the scenario file tests."""

from __future__ import annotations

from typing import Any

import pytest

from scenarios import scenario_files as sc
from tests.scenarios.examples import example_data


@pytest.fixture
def data() -> dict[str, Any]:
    """A fresh, valid scenario object that a test may break."""
    return example_data()


@pytest.fixture
def example() -> sc.Scenario:
    """The example read into dataclasses."""
    return sc.from_dict(example_data())
