"""The travel times every plan is built on: the deployment's one setting, made geo's default.

``RURAL_CARS_TRAVEL_TIMES`` (see :func:`geo.provider_from_setting`) names the model (the
default), a calibrated model, a matrix file or a routing engine. It is read once when the
process starts and made the process-wide provider (:func:`geo.configure`), so planning,
re-planning, same-day insertion and the benchmarks all read the same times; each plan records
which source and version it was built on (``DayPlan.figures["travel_times"]``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

import geo
from geo.engines import ENGINES
from rides.models import Place
from rides.planning.solver_input import travel_times_source

log = logging.getLogger(__name__)

#: Matrix files are named so (see ``geo.provider_from_setting``); only they need place keys.
_MATRIX_SUFFIXES = (".npz", ".csv")


def matrix_keys(session: Session) -> set[str]:
    """Return the keys a matrix file may name places by: what ``place_key`` gives planning.

    Villages are known by their INE code, every other place (a health centre, a named stop)
    by its database id; a file naming anything else is a mistake worth stopping at.
    """
    keys = {town.ine_code for town in geo.gazetteer()}
    ids = session.scalars(select(Place.id).where(Place.ine_code.is_(None)))
    keys.update(str(place_id) for place_id in ids)
    return keys


def use_travel_times(sessions: Callable[[], Session], setting: str) -> dict[str, str]:
    """Make ``setting`` the travel times of every plan this process makes, and say which.

    A matrix file is read and checked now, against the places in the database, so a broken
    file stops the start-up instead of a plan at 18:00. A database without its schema yet
    (``rural-cars db upgrade`` itself) checks file keys against the villages only.

    Args:
        sessions: the session factory, asked only when the setting names a matrix file.
        setting: the value of ``TRAVEL_TIMES`` (``model``, ``model:PATH``, ``file:PATH``, a
            ``.npz``/``.csv`` path, ``osrm:URL`` or ``valhalla:URL``).

    Returns:
        The source's kind, description and version, as plans will record it.

    Raises:
        ValueError: the setting names no known source, or its file is missing or broken
            (a :class:`geo.GeoError`, whose message names the file and the defect).
    """
    text = (setting or "").strip()
    kind = text.partition(":")[0]
    known: set[str] | None = None
    named_file = kind not in ("model", *ENGINES) and text.lower().endswith(_MATRIX_SUFFIXES)
    if kind == "file" or named_file:
        try:
            with sessions() as session:
                known = matrix_keys(session)
        except SQLAlchemyError as error:
            log.warning("travel times: places not readable (%s); villages only", error)
            known = {town.ine_code for town in geo.gazetteer()}
    provider = geo.provider_from_setting(text, known_keys=known)
    geo.configure(None if text in ("", "model") else provider)
    source = travel_times_source(provider)
    log.info("travel times: %s (version %s)", source["description"], source["version"])
    return source
