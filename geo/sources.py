"""One setting names where travel times come from; this turns it into a provider.

The setting (for the planning wiring: one configuration variable) is one of:

* ``model`` (or empty): the embedded travel model, the default;
* ``model:PATH``: a calibrated model written by ``rural-cars geo calibrate --write PATH``;
* ``file:PATH`` (or a path ending ``.npz`` / ``.csv``): a matrix file written by
  ``rural-cars geo matrix``, the model answering for pairs it does not hold;
* ``osrm:URL`` or ``valhalla:URL``: a routing engine asked live for every matrix.

:func:`describe_provider` says which source and version a provider is, for a plan to store
next to the times it was built on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from geo.engines import ENGINES, make_engine
from geo.engines.matrix import RoutingEngineProvider
from geo.matrixfile import MatrixFileProvider
from geo.providers import ModelProvider, TravelTimeProvider
from geo.travel import AreaTravelModel, load_travel_model


@dataclass(frozen=True, slots=True)
class ProviderSource:
    """Which travel times a plan used: the kind of source, what it is, and its version.

    Attributes:
        kind: ``"model"``, ``"calibrated"``, ``"file"``, ``"engine"`` or ``"custom"``.
        description: for people, e.g. ``"matrix file /srv/m.npz (osrm at http://...)"``.
        version: changes whenever the times can change (a digest of the parameters or file).
    """

    kind: str
    description: str
    version: str


def provider_from_setting(
    setting: str, *, known_keys: Iterable[object] | None = None
) -> TravelTimeProvider:
    """Return the provider a travel-times setting names (see the module docstring).

    Args:
        setting: ``model``, ``model:PATH``, ``file:PATH``, a ``.npz``/``.csv`` path,
            ``osrm:URL`` or ``valhalla:URL``.
        known_keys: the place keys a matrix file may use (database place ids); the
            gazetteer's INE codes by default.

    Returns:
        A provider to pass to :func:`geo.configure` or :func:`geo.travel_matrix`. A file or
        model is read and checked now, so a bad one fails at start-up, not mid-plan.

    Raises:
        ValueError: the setting names no known source.
        MatrixFileError: the matrix file is missing or broken.
        InvalidTravelModelError: the model file is missing or broken.
    """
    text = setting.strip()
    kind, _, value = text.partition(":")
    if text in ("", "model"):
        return ModelProvider()
    if kind == "model" and value:
        return ModelProvider(load_travel_model(value))
    if kind == "file" and value:
        return MatrixFileProvider(value, known_keys=known_keys)
    if text.lower().endswith((".npz", ".csv")) and kind not in ENGINES:
        return MatrixFileProvider(text, known_keys=known_keys)
    if kind in ENGINES and value:
        return RoutingEngineProvider(make_engine(kind, value))
    raise ValueError(
        f"unknown travel-times setting {setting!r}; use model, model:PATH, file:PATH, "
        "osrm:URL or valhalla:URL"
    )


def _digest(text: str | bytes) -> str:
    """Return a short SHA-256 of text or bytes."""
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:12]


def describe_provider(provider: TravelTimeProvider) -> ProviderSource:
    """Say which travel times a provider gives, for a plan to record with its times.

    Args:
        provider: any provider (those of this module, or a custom one).

    Returns:
        Its kind, a description and a version that changes when its times can change.
    """
    if isinstance(provider, ModelProvider):
        model = provider.model
        if isinstance(model, AreaTravelModel):
            fitted = dict(model.fitted)
            return ProviderSource(
                "calibrated",
                f"calibrated model ({len(model.areas)} areas, {fitted.get('legs', '?')} legs, "
                f"fitted {fitted.get('date', '?')})",
                _digest(repr((model.base, model.areas))),
            )
        return ProviderSource(
            "model",
            f"travel model (circuity {model.circuity}, {model.speed_kmh} km/h, "
            f"overhead {model.overhead_s} s)",
            _digest(repr(model)),
        )
    if isinstance(provider, MatrixFileProvider):
        origin = provider.provenance
        where = (
            f" ({origin.engine} at {origin.url}, updated {origin.updated})"
            if origin is not None
            else ""
        )
        return ProviderSource("file", f"matrix file {provider.path}{where}", provider.digest)
    if isinstance(provider, RoutingEngineProvider):
        engine = provider.engine
        return ProviderSource(
            "engine",
            f"{engine.name} at {engine.url} ({engine.profile}), asked live",
            _digest(f"{engine.name} {engine.url} {engine.profile}"),
        )
    return ProviderSource("custom", repr(provider), _digest(repr(provider)))
