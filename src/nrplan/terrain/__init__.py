"""Terrain and clutter: user DEM / DSM / land-use rasters in the prediction.

- :mod:`nrplan.terrain.rasters`: reading and resampling rasters to the grid,
  with one-line errors for unusable files;
- :mod:`nrplan.terrain.diffraction`: ITU-R P.526-15 knife edge (4.1) and
  Bullington (4.5) diffraction loss;
- :mod:`nrplan.terrain.clutter`: class mapping (TOML; ESA WorldCover default)
  and ITU-R P.2108-1 terminal clutter loss;
- :mod:`nrplan.terrain.load`: files -> :class:`Terrain` for the engine.

The per-site terrain windows (Numba) are in :mod:`nrplan.engine.terrain_profiles`
and :mod:`nrplan.engine.terrain` (the engine's hook); this package imports
nothing of the engine. The model is described in ``docs/terrain.md``.
"""

from nrplan.terrain.inputs import Terrain
from nrplan.terrain.load import TerrainFiles, prepare_terrain

__all__ = ["Terrain", "TerrainFiles", "prepare_terrain"]
