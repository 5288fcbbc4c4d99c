"""Places and travel times for the Province of Guadalajara (pure: no web, no database).

Import the public names from here (``geo.search(...)``, ``geo.travel_matrix(...)``) or from
their module (``from geo.gazetteer import Municipality``). Note that ``geo.gazetteer`` and
``geo.search`` are the functions; their modules are reached with ``from geo.gazetteer import``.
Nothing is read or computed at import time: the gazetteer loads on first use.
"""

from geo.areas import AREAS, area_of
from geo.calibration import fit_travel_model
from geo.distance import geodesic_m
from geo.engines import make_engine
from geo.engines.matrix import RoutingEngineProvider
from geo.errors import (
    AmbiguousPlace,
    GeocoderUnavailable,
    GeoError,
    InvalidPointError,
    MatrixFileError,
    PlaceNotFound,
    RoutingEngineError,
    UnknownMunicipalityError,
    UnroutablePairError,
)
from geo.gazetteer import Municipality, boundaries_file, gazetteer, municipality
from geo.geocoding import Geocoder, geocode, geocoder_point
from geo.legs import Leg, read_legs
from geo.matrixbuild import plan_matrix_update, run_matrix_update
from geo.matrixfile import MatrixFileProvider
from geo.matrixformat import MatrixProvenance
from geo.matrixread import load_matrix_file
from geo.matrixwrite import write_matrix_file
from geo.points import GeoPoint, Located, Place, PointLike, read_places
from geo.providers import (
    ModelProvider,
    TravelMatrix,
    TravelTimeProvider,
    configure,
    default_provider,
    travel_matrix,
)
from geo.search import Match, PlaceIndex, Searchable, normalise, resolve, search
from geo.sources import ProviderSource, describe_provider, provider_from_setting
from geo.travel import (
    AreaTravelModel,
    InvalidTravelModelError,
    TravelModel,
    load_travel_model,
    save_travel_model,
)

__all__ = [
    "AREAS",
    "AmbiguousPlace",
    "AreaTravelModel",
    "GeoError",
    "GeoPoint",
    "Geocoder",
    "GeocoderUnavailable",
    "InvalidPointError",
    "InvalidTravelModelError",
    "Leg",
    "Located",
    "Match",
    "MatrixFileError",
    "MatrixFileProvider",
    "MatrixProvenance",
    "ModelProvider",
    "Municipality",
    "Place",
    "PlaceIndex",
    "PlaceNotFound",
    "PointLike",
    "ProviderSource",
    "RoutingEngineError",
    "RoutingEngineProvider",
    "Searchable",
    "TravelMatrix",
    "TravelModel",
    "TravelTimeProvider",
    "UnknownMunicipalityError",
    "UnroutablePairError",
    "area_of",
    "boundaries_file",
    "configure",
    "default_provider",
    "describe_provider",
    "fit_travel_model",
    "gazetteer",
    "geocode",
    "geocoder_point",
    "geodesic_m",
    "load_matrix_file",
    "load_travel_model",
    "make_engine",
    "municipality",
    "normalise",
    "plan_matrix_update",
    "provider_from_setting",
    "read_legs",
    "read_places",
    "resolve",
    "run_matrix_update",
    "save_travel_model",
    "search",
    "travel_matrix",
    "write_matrix_file",
]
