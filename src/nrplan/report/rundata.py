"""Read a plan's run directory for reporting: validated summary, records, sectors, rasters.

Everything here reads defensively: keys may be missing or added by newer
versions of the planner, a city may have no rasters (no in-scope settlements,
or ``--no-rasters``), and values may be NaN/null. Only a run directory that
cannot be reported at all — missing, without ``summary.json``, with invalid
JSON or without the ``national`` / ``cities`` sections — raises
:class:`~nrplan.errors.NrplanInputError`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nrplan.errors import NrplanInputError
from nrplan.plan.records import (
    RASTER_LAYERS,
    CityResult,
    EconomicsSummary,
    NationalKpis,
    NetworkSummary,
    RunSummary,
    check_schema_version,
)

__all__ = [
    "RASTER_LAYERS",
    "CityRasters",
    "RunData",
    "city_sectors",
    "fmt_num",
    "is_num",
    "load_run",
    "load_text",
    "network_names",
    "ordinal",
    "planning_load",
    "read_city_rasters",
    "run_label",
]

_REQUIRED = {"national": dict, "cities": list}


@dataclass
class RunData:
    """A run directory's contents, as far as a report needs them.

    Attributes
    ----------
    path : Path
        The run directory.
    summary : dict
        The parsed ``summary.json``.
    checkpoints : dict
        Per-city checkpoint records by city key (they also carry ``hist``).
    """

    path: Path
    summary: dict[str, Any]
    checkpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    _sectors: pd.DataFrame | None = None
    _records: RunSummary | None = None

    @property
    def records(self) -> RunSummary:
        """The summary as typed records (:class:`nrplan.plan.records.RunSummary`)."""
        if self._records is None:
            self._records = RunSummary.from_dict(self.summary, str(self.path / "summary.json"))
        return self._records

    @property
    def city_results(self) -> list[CityResult]:
        """The cities as :class:`nrplan.plan.records.CityResult` (summary order)."""
        return self.records.cities

    @property
    def national(self) -> NationalKpis:
        """The national KPIs (of all networks with several)."""
        return self.records.national

    @property
    def cities(self) -> list[dict[str, Any]]:
        """The raw ``summary["cities"]`` entries (the report reads :attr:`city_results`)."""
        return [c for c in self.summary.get("cities") or [] if isinstance(c, dict)]

    @property
    def economics(self) -> EconomicsSummary | None:
        """The run's economics, None when the summary has none (or an empty section)."""
        eco = self.records.economics
        return eco if eco is not None and eco.json_keys else None

    @property
    def label(self) -> str:
        return run_label(self.path, self.summary)

    @property
    def planning_load(self) -> float | None:
        """``config.link.planning_load`` of the run (PDSCH SINR), ``None`` if not recorded."""
        return planning_load(self.summary)

    @property
    def edge_percentile(self) -> float | None:
        """``config.targets.edge_percentile`` of the run [%], ``None`` if not recorded."""
        targets = _section(_section(self.summary, "config"), "targets")
        v = targets.get("edge_percentile")
        return float(v) if is_num(v) else None

    @property
    def networks(self) -> dict[str, NetworkSummary]:
        """``summary["networks"]``: per network its label, operators, user share,
        bands, national KPIs and economics (empty for runs from before networks)."""
        return self.records.networks

    def network(self, name: Any) -> NetworkSummary:
        """The network ``name`` (an empty record, with no keys, when the summary
        does not describe it)."""
        net = self.networks.get(str(name))
        return net if net is not None else NetworkSummary.from_dict({})

    @property
    def network_names(self) -> list[str]:
        """The networks of the run, in the planner's order: the summary's networks,
        then any other ``network`` of the city records (empty for runs from before
        networks)."""
        names = list(self.networks)
        for c in self.city_results:
            if c.has("network") and c.network and c.network not in names:
                names.append(c.network)
        return names

    @property
    def multi_network(self) -> bool:
        """True when the run plans several networks over the same cities (``china-2020``)."""
        return len(self.network_names) > 1

    def network_label(self, name: Any) -> str:
        """The label of a network (e.g. ``China Mobile (160 MHz n41, 64T64R)``), or its name."""
        return self.network(name).label or str(name)

    def network_national(self, name: Any) -> NationalKpis:
        """The national KPIs of one network (``networks[name]["national"]``; no keys
        when the summary lacks them)."""
        net = self.network(name)
        return net.national if net.has("national") else NationalKpis.from_dict({})

    def sectors(self) -> pd.DataFrame:
        """All sectors of the run (``sites.gpkg``, else the checkpoints), maybe empty."""
        if self._sectors is None:
            self._sectors = _read_sectors(self.path)
        return self._sectors

    def raster_dir(self, city: CityResult) -> Path:
        """The directory of the city's rasters (``rasters/<key>``)."""
        return self.path / "rasters" / city.key

    def checkpoint_hist(self, key: str) -> dict[str, list[float]]:
        """The user histograms of the city's checkpoint (empty without one)."""
        rec = self.checkpoints.get(key)
        return CityResult.from_dict(rec).hist if rec else {}

    def city_economics(self) -> dict[str, dict[str, Any]]:
        """Per-city economics rows keyed by city key and id (empty when absent)."""
        rows = self.economics.cities if self.economics is not None else None
        out: dict[str, dict[str, Any]] = {}
        if isinstance(rows, dict):
            items = [(str(k), v) for k, v in rows.items() if isinstance(v, dict)]
        elif isinstance(rows, list):
            items = [
                (str(r.get("key") or r.get("id") or r.get("name")), r)
                for r in rows
                if isinstance(r, dict)
            ]
        else:
            items = []
        for k, v in items:
            out[k] = v
            for alt in ("key", "id", "name"):
                if v.get(alt) is not None:
                    out.setdefault(str(v[alt]), v)
        return out


def _section(d: Any, key: str) -> dict[str, Any]:
    v = d.get(key) if isinstance(d, dict) else None
    return v if isinstance(v, dict) else {}


def network_names(summary: dict[str, Any]) -> list[str]:
    """The networks of a run: the keys of ``summary["networks"]``, then any other
    ``network`` of the city records (empty for runs from before networks)."""
    names: list[str] = []
    nets = summary.get("networks")
    if isinstance(nets, dict):
        names += [str(k) for k, v in nets.items() if isinstance(v, dict)]
    for c in summary.get("cities") or []:
        n = c.get("network") if isinstance(c, dict) else None
        if n is not None and str(n) not in names:
            names.append(str(n))
    return names


def planning_load(summary: dict[str, Any]) -> float | None:
    """The PDSCH planning load of a run [0-1] (``config.link.planning_load``), or ``None``."""
    v = _section(_section(summary, "config"), "link").get("planning_load")
    return float(v) if is_num(v) else None


def run_label(path: Path, summary: dict[str, Any]) -> str:
    """``<dir name> (<year>, <operators>)`` — how a run is named in tables."""
    bits = [str(summary[k]) for k in ("year", "operators") if summary.get(k) is not None]
    return f"{Path(path).name} ({', '.join(bits)})" if bits else Path(path).name


def load_run(run_dir: str | Path) -> RunData:
    """Load and validate a run directory.

    Parameters
    ----------
    run_dir : path
        A directory written by ``nrplan plan``.

    Returns
    -------
    RunData

    Raises
    ------
    NrplanInputError
        The directory is missing, has no ``summary.json``, the JSON is invalid,
        or it lacks the ``national`` / ``cities`` sections.
    """
    path = Path(run_dir)
    if not path.is_dir():
        raise NrplanInputError("run_dir", str(path), "an existing nrplan run directory")
    sfile = path / "summary.json"
    if not sfile.is_file():
        raise NrplanInputError(
            "run_dir",
            str(path),
            "a run directory with summary.json (let 'nrplan plan' finish, or re-run it to resume)",
        )
    try:
        summary = json.loads(sfile.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NrplanInputError(
            "summary.json", str(sfile), f"valid JSON written by nrplan plan ({exc})"
        ) from None
    if not isinstance(summary, dict):
        raise NrplanInputError("summary.json", str(sfile), "a JSON object")
    check_schema_version(summary, str(sfile))
    for key, typ in _REQUIRED.items():
        if not isinstance(summary.get(key), typ):
            raise NrplanInputError(
                f"summary.json:{key}",
                summary.get(key),
                f"a JSON {'object' if typ is dict else 'array'} (file {sfile} is incomplete)",
            )
    checkpoints: dict[str, dict[str, Any]] = {}
    for f in sorted((path / "checkpoints").glob("*.json")):
        try:
            rec = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a broken checkpoint only costs its histograms
        if isinstance(rec, dict):
            checkpoints[str(rec.get("key", f.stem))] = rec
    return RunData(path=path, summary=summary, checkpoints=checkpoints)


def _read_sectors(path: Path) -> pd.DataFrame:
    gpkg = path / "sites.gpkg"
    if gpkg.is_file():
        # the Arrow path reads the 560 k rows of a national run ~8x faster (same frame)
        for use_arrow in (True, False):
            try:
                import pyogrio

                df = pyogrio.read_dataframe(
                    gpkg, layer="sectors", read_geometry=False, use_arrow=use_arrow
                )
                return pd.DataFrame(df)
            except Exception:  # unreadable GeoPackage: fall back to the checkpoints
                continue
    frames = []
    for f in sorted((path / "checkpoints").glob("*.parquet")):
        try:
            frames.append(pd.read_parquet(f))
        except Exception:
            continue
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


@dataclass
class CityRasters:
    """A city's rasters, possibly decimated for display.

    Attributes
    ----------
    layers : dict
        Layer name -> 2-D array (float arrays with NaN for nodata; ``best_server``
        as float with NaN where no server).
    crs : str
        The rasters' CRS (WKT or EPSG string).
    bounds : tuple
        ``(left, bottom, right, top)`` in the CRS [m].
    """

    layers: dict[str, np.ndarray]
    crs: Any
    bounds: tuple[float, float, float, float]


def read_city_rasters(
    raster_dir: Path, max_px: int = 700, layers: tuple[str, ...] | None = None
) -> CityRasters | None:
    """Read a city's GeoTIFFs, decimated to at most ``max_px`` pixels a side.

    Returns ``None`` when the directory holds none of the layers. Nodata becomes
    NaN. A layer whose shape differs from the first one is skipped.

    Raises
    ------
    NrplanInputError
        A GeoTIFF that cannot be read (damaged or cut short).
    """
    from rasterio.errors import RasterioError  # rasterio (GDAL) loads only to read rasters

    names = layers or tuple(RASTER_LAYERS)
    try:
        return _read_rasters(raster_dir, max_px, names)
    except (OSError, RasterioError) as exc:
        raise NrplanInputError(
            "rasters", str(raster_dir), f"readable GeoTIFFs written by nrplan plan ({exc})"
        ) from None


def _read_rasters(raster_dir: Path, max_px: int, names: tuple[str, ...]) -> CityRasters | None:
    import rasterio
    from rasterio.enums import Resampling

    out: dict[str, np.ndarray] = {}
    crs = None
    bounds = None
    shape = None
    for name in names:
        f = raster_dir / f"{name}.tif"
        if not f.is_file():
            continue
        with rasterio.open(f) as src:
            step = max(1, math.ceil(max(src.height, src.width) / max_px))
            out_shape = (max(1, src.height // step), max(1, src.width // step))
            arr = src.read(1, out_shape=out_shape, resampling=Resampling.nearest, masked=True)
            data = np.ma.filled(arr.astype(np.float64), np.nan)
            data[~np.isfinite(data)] = np.nan
            if name == "best_server":
                data[data < 0] = np.nan
            if shape is None:
                shape = data.shape
                crs = src.crs
                b = src.bounds
                bounds = (b.left, b.bottom, b.right, b.top)
            elif data.shape != shape:
                continue
            out[name] = data
    if not out or bounds is None:
        return None
    return CityRasters(layers=out, crs=crs, bounds=bounds)


# -- formatting helpers shared by the HTML writers -------------------------------------
def is_num(v: Any) -> bool:
    """True for a finite int/float (not bool)."""
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, (int, np.integer)):
        return True
    if isinstance(v, (float, np.floating)):
        return math.isfinite(float(v))
    return False


def fmt_num(v: Any, decimals: int | None = None, scale: float = 1.0) -> str:
    """Format a number for a table: thousands separators, ``-`` for missing/NaN.

    ``decimals=None`` picks 0 for integers and large values, else 1-4 decimals by
    magnitude. Integers below 10,000 get no separator (years, seeds).
    """
    if isinstance(v, bool):
        return "yes" if v else "no"
    if not is_num(v):
        return "-" if v is None or isinstance(v, (int, float, np.number)) else str(v)
    x = float(v) * scale
    if isinstance(v, (int, np.integer)) and scale == 1.0 and decimals in (None, 0) and abs(x) < 1e4:
        return str(int(v))  # years, seeds, small counts: no thousands separator
    if decimals is None:
        if isinstance(v, (int, np.integer)) and scale == 1.0:
            decimals = 0
        elif abs(x) >= 1000:
            decimals = 0
        elif abs(x) >= 10:
            decimals = 1
        elif abs(x) >= 0.1 or x == 0:
            decimals = 2
        else:
            decimals = 4
    return f"{x:,.{decimals}f}"


def load_text(planning_load: float | None) -> str:
    """``"50 %"`` for a planning load of 0.5, ``"the"`` when unknown (so that
    ``f"at {load_text(x)} planning load"`` reads either way)."""
    if not is_num(planning_load):
        return "the"
    return f"{100.0 * float(planning_load):g} %"


def ordinal(q: float | None, default: str = "edge") -> str:
    """``5`` -> ``"5th"``, ``1`` -> ``"1st"``, ``2.5`` -> ``"2.5th"``; ``default`` if unknown."""
    if not is_num(q):
        return default
    x = float(q)
    if x != int(x):
        return f"{x:g}th"
    n = int(x)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def city_sectors(sectors: pd.DataFrame, city: CityResult) -> pd.DataFrame:
    """The sectors of a city record (of its ``network`` when the sectors have one)."""
    if sectors.empty:
        return sectors
    if "city_id" in sectors.columns:
        sel = sectors[sectors["city_id"].astype(str) == city.city_id]
    elif "city" in sectors.columns:
        sel = sectors[sectors["city"].astype(str) == city.name]
    else:
        return sectors.iloc[0:0]
    if "network" in sel.columns and city.network:
        sel = sel[sel["network"].astype(str) == city.network]
    return sel
