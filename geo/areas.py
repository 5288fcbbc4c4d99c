"""Areas of the province, for a travel model whose speed and circuity differ by terrain.

The gazetteer has no comarca column (no openly licensed per-municipality list exists; see
``data/guadalajara/README.md``). The areas here follow the five comarcas agrarias of the
Ministry of Agriculture (MAPA) for Guadalajara - Campiña, Sierra, Alcarria Alta, Alcarria
Baja and Molina de Aragón - which match the terrain that matters for driving: the flat Henares
valley with the A-2, the Serranía's mountain roads, the Alcarria's plateaus and valleys, and
the high, empty Señorío de Molina. Since MAPA publishes them only as polygons, each area is
drawn here as the points nearest to a few of its representative towns (their gazetteer
coordinates). The boundary is approximate by a few kilometres; it applies to any point, so a
named stop gets the area of the towns around it.
"""

from __future__ import annotations

import functools

import numpy as np

from geo.distance import geodesic_pairs
from geo.gazetteer import municipality

A2 = "Corredor A-2"
CAMPINA = "Campiña"
SIERRA = "Sierra"
ALCARRIA_ALTA = "Alcarria Alta"
ALCARRIA_BAJA = "Alcarria Baja"
MOLINA = "Molina de Aragón"

#: The areas, in a fixed order (tables and model files list them so).
AREAS = (A2, CAMPINA, SIERRA, ALCARRIA_ALTA, ALCARRIA_BAJA, MOLINA)

#: Representative towns of each area (INE codes); a point belongs to the area of the nearest.
SEEDS: dict[str, tuple[str, ...]] = {
    # The towns on the A-2 motorway: Azuqueca, Alovera, Guadalajara, Torija, Trijueque,
    # Gajanejos, Almadrones, Algora, Alcolea del Pinar
    A2: ("19046", "19024", "19130", "19274", "19290", "19125", "19020", "19017", "19011"),
    # El Casar, Yunquera, Uceda, Pioz, Mohernando
    CAMPINA: ("19071", "19331", "19293", "19220", "19189"),
    # Atienza, Sigüenza, Tamajón, Cogolludo, Hiendelaencina, Galve de Sorbe, Jadraque
    SIERRA: ("19044", "19257", "19262", "19092", "19135", "19127", "19156"),
    # Brihuega, Cifuentes, Trillo, Budia, Sotodosos
    ALCARRIA_ALTA: ("19053", "19086", "19291", "19054", "19261"),
    # Pastrana, Sacedón, Mondéjar, Tendilla, Almonacid de Zorita, Salmerón
    ALCARRIA_BAJA: ("19212", "19245", "19192", "19266", "19022", "19247"),
    # Molina, Checa, Maranchón, Milmarcos, Zaorejas, Villanueva de Alcorón, Alustante, Orea
    MOLINA: ("19190", "19103", "19170", "19183", "19333", "19317", "19027", "19204"),
}


@functools.cache
def _seeds() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the seed towns' latitudes, longitudes and area numbers (read once)."""
    lat, lon, area = [], [], []
    for number, name in enumerate(AREAS):
        for code in SEEDS[name]:
            town = municipality(code)
            lat.append(town.latitude)
            lon.append(town.longitude)
            area.append(number)
    return np.array(lat), np.array(lon), np.array(area)


def area_numbers(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    """Return, for N points, the position in :data:`AREAS` of each one's area.

    Args:
        latitude: N latitudes in degrees.
        longitude: N longitudes in degrees.

    Returns:
        N integers indexing :data:`AREAS`.
    """
    seed_lat, seed_lon, seed_area = _seeds()
    lat = np.asarray(latitude, dtype=np.float64)
    lon = np.asarray(longitude, dtype=np.float64)
    if lat.size == 0:
        return np.zeros(0, dtype=np.int64)
    shape = (lat.size, seed_lat.size)
    distance = geodesic_pairs(
        np.broadcast_to(lat[:, None], shape).copy(),
        np.broadcast_to(lon[:, None], shape).copy(),
        np.broadcast_to(seed_lat, shape).copy(),
        np.broadcast_to(seed_lon, shape).copy(),
    )
    return seed_area[np.argmin(distance, axis=1)].astype(np.int64)


def area_of(latitude: float, longitude: float) -> str:
    """Return the name of the area a point belongs to.

    Args:
        latitude: in degrees.
        longitude: in degrees.

    Returns:
        One of :data:`AREAS`.
    """
    return AREAS[int(area_numbers(np.array([latitude]), np.array([longitude]))[0])]
