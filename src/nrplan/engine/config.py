"""Settings of a raster prediction (`PredictionConfig`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from numbers import Integral

from nrplan.errors import NrplanInputError, check_choice, check_range
from nrplan.morphology import MORPHOLOGIES
from nrplan.radio.pathloss import SCENARIOS

__all__ = [
    "CORRECTION_BOUNDS",
    "LOS_MODES",
    "PATHLOSS_PARAMS",
    "RATE_METHODS",
    "SHADOWING_MODES",
    "FrozenMapping",
    "PredictionConfig",
]

LOS_MODES = ("expected", "sampled")
SHADOWING_MODES = ("margin", "sampled", "none")
RATE_METHODS = ("cqi-table2", "cqi-table1", "shannon")
PATHLOSS_PARAMS = ("h_e", "h", "w", "r_clutter", "h_clutter", "d_clutter", "ceiling_m")
"""Numeric keyword parameters of ``nrplan.radio.pathloss.pathloss`` a config may set."""
CORRECTION_BOUNDS = {"intercept_db": (-100.0, 100.0), "slope_db_per_decade": (-20.0, 20.0)}
"""Allowed per-class path-loss corrections ``a + b log10(d_2d / 1 m)``: |b| <= 20
dB/decade (a tuned TR 38.901 slope then stays within about 0-60 dB/decade) and
|a| <= 100 dB (the intercept is extrapolated to 1 m, so it carries -b times
the log-distance of the data: at most 40 dB at the data plus 20 x 3 decades);
planning bounds of ``nrplan tune``, see ``docs/tuning.md``."""


class FrozenMapping(dict):
    """A read-only, hashable dict (keeps a frozen config hashable and JSON-ready)."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def __reduce__(self):
        return (type(self), (dict(self),))

    def _ro(self, *args, **kwargs):
        raise TypeError("FrozenMapping is read-only")

    __setitem__ = __delitem__ = __ior__ = _ro  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _ro  # type: ignore[assignment]


def _scenario_map(value) -> FrozenMapping | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise NrplanInputError("scenarios", value, "a mapping morphology code -> scenario")
    out = {}
    for code, scen in value.items():
        if isinstance(code, bool) or not isinstance(code, Integral) or code not in MORPHOLOGIES:
            raise NrplanInputError("scenarios", code, f"morphology codes {sorted(MORPHOLOGIES)}")
        out[int(code)] = check_choice("scenarios", scen, SCENARIOS)
    return FrozenMapping(sorted(out.items()))


def _param_map(value) -> FrozenMapping | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise NrplanInputError("pathloss_params", value, "a mapping name -> number")
    out = {}
    for name, v in value.items():
        check_choice("pathloss_params", name, PATHLOSS_PARAMS)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise NrplanInputError(f"pathloss_params.{name}", v, "a finite number")
        out[str(name)] = float(v)
    return FrozenMapping(sorted(out.items()))


def _correction_map(value) -> FrozenMapping | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise NrplanInputError(
            "pathloss_corrections", value, "a mapping morphology code -> (a_dB, b_dB_per_decade)"
        )
    out = {}
    (alo, ahi), (blo, bhi) = CORRECTION_BOUNDS.values()
    for code, ab in value.items():
        if isinstance(code, bool) or not isinstance(code, Integral) or code not in MORPHOLOGIES:
            raise NrplanInputError(
                "pathloss_corrections", code, f"morphology codes {sorted(MORPHOLOGIES)}"
            )
        try:
            a, b = (float(v) for v in ab)
        except (TypeError, ValueError):
            raise NrplanInputError(
                f"pathloss_corrections.{code}", ab, "a pair (a_dB, b_dB_per_decade)"
            ) from None
        if not (math.isfinite(a) and alo <= a <= ahi):
            raise NrplanInputError(f"pathloss_corrections.{code}.a", a, f"[{alo:g}, {ahi:g}] dB")
        if not (math.isfinite(b) and blo <= b <= bhi):
            raise NrplanInputError(
                f"pathloss_corrections.{code}.b", b, f"[{blo:g}, {bhi:g}] dB/decade"
            )
        if a != 0.0 or b != 0.0:
            out[int(code)] = (a, b)
    return FrozenMapping(sorted(out.items())) if out else None


@dataclass(frozen=True)
class PredictionConfig:
    """How a prediction is made. Every field has a documented default.

    Parameters
    ----------
    los_mode : {"expected", "sampled"}
        ``"expected"``: path loss is the LOS-probability weighted expected path
        loss in dB (TR 38.901 Tables 7.4.1-1 and 7.4.2-1). ``"sampled"``: a LOS
        state is drawn per (site, pixel) with the Table 7.4.2-1 probability
        from a counter-based generator keyed by ``seed`` (independent between
        pixels and sites, no spatial LOS correlation).
    h_ut_m : float or None
        UT height [m]; None takes the morphology class's ``h_ut_m``.
    rsrp_threshold_dbm : float
        Coverage threshold on SSB RSRP [dBm].
    sinr_threshold_db : float
        Coverage threshold on SINR [dB].
    rsrp_floor_dbm : float
        Detection floor [dBm]: a sector whose RSRP at a pixel is below it is
        never a server there (and is not counted for pilot pollution); a pixel
        with no sector above it has no server (best_server -1, nodata).
    pollution_window_db : float
        Window for the pilot-pollution count: sectors within this many dB of
        the best server [dB].
    margin_cap_db : float
        Cap of the best-server margin output [dB]: a margin is only resolved up
        to this value, which lets the culling drop every sector more than
        ``max(margin_cap_db, pollution_window_db)`` below the best server.
    interference_error_db : float
        Bound on the SINR error caused by the interferers culled per tile [dB]
        (the neglected interference is bounded from above and the candidate list
        grown until the bound holds for every pixel of the tile); it holds for
        the PDSCH SINR and, when ``ss_sinr_db`` is requested, for the full-load
        SS-SINR (whose neglected SSB sum is bounded separately).
    shadowing : {"margin", "sampled", "none"}
        ``"margin"``: coverage probability from the lognormal shadowing margin
        of the serving link (sigma_SF of TR 38.901 Table 7.4.1-1, NLOS value of
        the pixel's scenario). ``"sampled"``: one spatially correlated lognormal
        field per site (decorrelation distance of TR 38.901 Table 7.5-6) is
        added to the path loss of its sectors within ``shadow_radius_m``, and the
        coverage "probability" is the 0/1 outcome of that draw. ``"none"``:
        0/1 outcome of the mean prediction.
    shadow_radius_m : float
        Radius around each site where its sampled shadowing field is drawn [m].
    seed : int
        Seed of every random draw (LOS states, shadowing fields).
    rate_method : str
        Spectral-efficiency model of ``nrplan.radio.nr.spectral_efficiency``.
    ul_interference_margin_db : float
        Uplink interference-over-thermal margin added to the gNB noise [dB].
    ul_prb_share : float
        Share of the UL PRBs one cell-edge user transmits on [0-1]; the UE
        power (class power of the band) is spread over them.
    tile_px : int
        Tile edge [pixels]; bounds the working memory per tile.
    pl_table_points : int
        Points of each path-loss look-up table (uniform in sqrt(d_2d)).
    scenarios : mapping of int to str, optional
        Morphology code -> TR 38.901 scenario (``nrplan.radio.pathloss.SCENARIOS``)
        overriding ``nrplan.morphology.MORPHOLOGIES[code].scenario`` (e.g. ``{2:
        "inf-dh"}`` to predict a factory hall); None = the morphology's own.
    evm_percent : float or None
        Transmitter error vector magnitude of the serving link [%]: its
        distortion (EVM^2 x signal power) adds to interference plus noise, so
        ``1/SINR = (I + N)/S + EVM^2`` and SINR never exceeds -20 log10(EVM)
        (29.1 dB at 3.5 %, the 256QAM requirement of TS 38.104 V17.0.0 Table
        6.5.2.2-1). None = no ceiling (e.g. to compare with other simulators).
    pathloss_params : mapping of str to float, optional
        Extra keyword parameters of ``nrplan.radio.pathloss.pathloss`` (and of the
        LOS probability) for every table, one of :data:`PATHLOSS_PARAMS`: UMa/UMi
        ``h_e``, RMa ``h``/``w``, InF ``r_clutter``, ``h_clutter``, ``d_clutter``,
        ``ceiling_m``. None = the model defaults.
    pathloss_corrections : mapping of int to (float, float), optional
        Tuned path-loss corrections per morphology code, ``code -> (a, b)``:
        ``a + b log10(d_2d / 1 m)`` [dB] is added to every path-loss row (LOS,
        NLOS, expected) of that class's tables (``nrplan tune``, see
        ``nrplan.measure``), with ``d_2d`` clamped to the table's minimum
        distance as the path loss itself. Bounds :data:`CORRECTION_BOUNDS`.
        None (or all zero) = no correction, bit-identical to the untuned model.
    """

    los_mode: str = "expected"
    h_ut_m: float | None = None
    rsrp_threshold_dbm: float = -110.0
    sinr_threshold_db: float = -3.0
    rsrp_floor_dbm: float = -140.0
    pollution_window_db: float = 6.0
    margin_cap_db: float = 30.0
    interference_error_db: float = 0.1
    shadowing: str = "margin"
    shadow_radius_m: float = 1500.0
    seed: int = 0
    rate_method: str = "cqi-table2"
    ul_interference_margin_db: float = 3.0
    ul_prb_share: float = 0.25
    tile_px: int = 32
    pl_table_points: int = 16384
    scenarios: Mapping[int, str] | None = None
    pathloss_params: Mapping[str, float] | None = None
    evm_percent: float | None = 3.5
    pathloss_corrections: Mapping[int, tuple[float, float]] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "pathloss_corrections", _correction_map(self.pathloss_corrections))
        object.__setattr__(self, "scenarios", _scenario_map(self.scenarios))
        object.__setattr__(self, "pathloss_params", _param_map(self.pathloss_params))
        object.__setattr__(self, "los_mode", check_choice("los_mode", self.los_mode, LOS_MODES))
        object.__setattr__(
            self, "shadowing", check_choice("shadowing", self.shadowing, SHADOWING_MODES)
        )
        object.__setattr__(
            self, "rate_method", check_choice("rate_method", self.rate_method, RATE_METHODS)
        )
        if self.h_ut_m is not None:
            check_range("h_ut_m", self.h_ut_m, 1.0, 22.5, unit="m")
        check_range("rsrp_threshold_dbm", self.rsrp_threshold_dbm, -200.0, 0.0, unit="dBm")
        check_range("sinr_threshold_db", self.sinr_threshold_db, -30.0, 60.0, unit="dB")
        check_range("rsrp_floor_dbm", self.rsrp_floor_dbm, -200.0, 0.0, unit="dBm")
        check_range("pollution_window_db", self.pollution_window_db, 0.0, 60.0, unit="dB")
        check_range("margin_cap_db", self.margin_cap_db, 0.0, 100.0, lo_open=True, unit="dB")
        check_range(
            "interference_error_db", self.interference_error_db, 0.0, 10.0, lo_open=True, unit="dB"
        )
        check_range("shadow_radius_m", self.shadow_radius_m, 0.0, 50_000.0, lo_open=True, unit="m")
        check_range("ul_interference_margin_db", self.ul_interference_margin_db, 0.0, 40.0)
        check_range("ul_prb_share", self.ul_prb_share, 0.0, 1.0, lo_open=True)
        check_range("tile_px", self.tile_px, 8, 4096)
        check_range("pl_table_points", self.pl_table_points, 256, 1 << 20)
        if self.evm_percent is not None:
            check_range("evm_percent", self.evm_percent, 0.0, 50.0, lo_open=True, unit="%")
        if int(self.seed) != self.seed or self.seed < 0:
            raise NrplanInputError("seed", self.seed, "an integer >= 0")

    def settings(self) -> dict:
        """Model settings for output metadata (JSON-ready)."""
        out = asdict(self)
        for name in ("scenarios", "pathloss_params", "pathloss_corrections"):
            if out[name] is not None:
                out[name] = {str(k): v for k, v in out[name].items()}
        return out
