"""Places and travel times for the Province of Guadalajara (pure: no web, no database).

Import the public names from here (``geo.search(...)``, ``geo.travel_matrix(...)``) or from
their module (``from geo.gazetteer import Municipality``). Note that ``geo.gazetteer`` and
``geo.search`` are the functions; their modules are reached with ``from geo.gazetteer import``.
Nothing is read or computed at import time: the gazetteer loads on first use.
"""

from geo.distance import geodesic_m
from geo.errors import (
    AmbiguousPlace,
    GeoError,
    InvalidPointError,
    MatrixFileError,
    PlaceNotFound,
    UnknownMunicipalityError,
)
from geo.gazetteer import Municipality, gazetteer, municipality
from geo.geocoding import Geocoder, geocode
from geo.matrixfile import MatrixFileProvider, load_matrix_file, write_matrix_file
from geo.points import GeoPoint, Located, PointLike
from geo.providers import (
    ModelProvider,
    TravelMatrix,
    TravelTimeProvider,
    configure,
    default_provider,
    travel_matrix,
)
from geo.search import Match, PlaceIndex, Searchable, normalise, resolve, search
from geo.travel import InvalidTravelModelError, TravelModel

__all__ = [
    "AmbiguousPlace",
    "GeoError",
    "GeoPoint",
    "Geocoder",
    "InvalidPointError",
    "InvalidTravelModelError",
    "Located",
    "Match",
    "MatrixFileError",
    "MatrixFileProvider",
    "ModelProvider",
    "Municipality",
    "PlaceIndex",
    "PlaceNotFound",
    "PointLike",
    "Searchable",
    "TravelMatrix",
    "TravelModel",
    "TravelTimeProvider",
    "UnknownMunicipalityError",
    "configure",
    "default_provider",
    "gazetteer",
    "geocode",
    "geodesic_m",
    "load_matrix_file",
    "municipality",
    "normalise",
    "resolve",
    "search",
    "travel_matrix",
    "write_matrix_file",
]
