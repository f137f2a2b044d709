"""Dimensioning per morphology class: coverage ISD measured on a reference
hexagonal cluster, capacity ISD from the demand, and which target (and which
link) limits.

Coverage
    For each class, 37 three-sector sites of its layer on a hexagonal lattice
    (three rings) are predicted by the engine at a ladder of ISDs
    (:data:`CLUSTER_ISDS_M`) and the users of the central site's cell are
    measured exactly as a city's are (:func:`cluster_users`): the outdoor,
    low-loss and high-loss indoor users of :mod:`nrplan.plan.users`, with
    SS-RSRP and SS-SINR at full SSB load for coverage, the PDSCH at the
    planning load and the uplink with body loss and IoT for the edge rates.
    For every target the largest ISD that still meets it is interpolated
    (log ISD) between the two ladder steps that bracket it:

    - ``coverage-outdoor``: outdoor users covered;
    - ``coverage-indoor``: indoor users covered;
    - ``uplink`` / ``downlink``: covered users below the edge rate, at most
      the edge percentile.

    The coverage ISD is the smallest of them; the one that sets it is the
    limiting target. It depends on the class and the config only, so it is
    computed once per process. The single-site link budget without
    neighbours (:func:`site_area_users`, users of a disc of the site's area)
    is kept as ``single_site_isd_m`` for comparison: the cluster's is smaller
    where the neighbours' SSBs limit the SS-SINR.

Capacity
    Each site must carry its share of the busy-hour traffic at the load
    limit: ``A_site = 3 C_cell rho_max / D`` with ``D`` the busy-hour traffic
    density of the class [Mbit/s/km^2] and ``C_cell`` the cell throughput at
    the dimensioning SINR (:data:`DIMENSIONING_SINR_DB`) with all resources
    and the band's MIMO layers (:func:`nrplan.radio.nr.user_rate_mbps`). On a
    hexagonal lattice ``A_site = sqrt(3) / 2 ISD^2``.

References
----------
3GPP TR 38.901 V17.0.0, Tables 7.4.1-1, 7.4.2-1, 7.4.3-2; TS 38.101-1
V17.0.0 Table 6.2.1-1; ITU-R M.2412-0 Table 8-2 (see :mod:`nrplan.plan.users`).
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr

from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.morphology import MORPHOLOGIES
from nrplan.plan.config import PlanConfig
from nrplan.plan.layout import SiteSet, hex_lattice
from nrplan.plan.measure import Measure, full_measure
from nrplan.plan.users import N_TYPES, RateTable, edge_fail_probability, user_mix
from nrplan.radio.antenna import get_antenna
from nrplan.radio.bands import get_band
from nrplan.radio.linkbudget import re_power_dbm, thermal_noise_dbm
from nrplan.radio.nr import user_rate_mbps
from nrplan.radio.pathloss import pathloss

__all__ = [
    "DIMENSIONING_SINR_DB",
    "ISD_LIMITS_M",
    "ClassDimension",
    "dimension_class",
    "dimension_classes",
    "site_area_users",
]

#: SINR at which a cell's throughput is assessed for capacity dimensioning [dB]:
#: close to the median downlink SINR of a loaded interference-limited
#: hexagonal macro layout (TR 38.901 7.8 calibration, UMa: median SINR a few dB
#: above 0). An nrplan default; the refinement measures real loads.
DIMENSIONING_SINR_DB = 5.0

#: Smallest and largest ISD a nominal layout uses [m].
ISD_LIMITS_M = (100.0, 20_000.0)

#: Radii at which the users of a site area are evaluated (midpoints of equal
#: area rings).
_N_RINGS = 64


@dataclass(frozen=True)
class ClassDimension:
    """Dimensioning result of one morphology class.

    ``isd_by_target`` holds the largest ISD meeting each coverage target
    [m]; ``coverage_isd_m`` is their minimum, ``limiting`` the target (or
    ``"capacity"``) that sets ``isd_m``.
    """

    code: int
    name: str
    scenario: str
    band: str
    area_km2: float
    traffic_dl_mbps_km2: float
    traffic_ul_mbps_km2: float
    isd_by_target: dict[str, float] = field(default_factory=dict)
    coverage_isd_m: float = float("inf")
    cell_range_m: float = float("inf")
    cell_capacity_dl_mbps: float = 0.0
    cell_capacity_ul_mbps: float = 0.0
    capacity_isd_m: float = float("inf")
    isd_m: float = float("inf")
    limiting: str = ""
    sites_estimate: float = 0.0
    single_site_isd_m: float = float("inf")

    def as_dict(self) -> dict:
        return asdict(self)


def _hex_isd(site_area_km2: float) -> float:
    """ISD [m] of a hexagonal lattice with the given area per site."""
    return float(np.sqrt(2.0 * site_area_km2 * 1e6 / np.sqrt(3.0)))


def site_area_users(code: int, isd_m: float, config: PlanConfig) -> dict[str, float]:
    """Coverage and UL edge KPIs of the users of one site area (module notes).

    Parameters
    ----------
    code : int
        Morphology code.
    isd_m : float
        Inter-site distance [m].
    config : PlanConfig
        Targets, link values, layer engineering.

    Returns
    -------
    dict
        ``outdoor`` (covered share of outdoor users), ``indoor`` (of indoor
        users), ``ul_fail`` (share of covered users below the UL edge rate)
        and ``dl_fail`` (same, DL, noise-limited at the planning load's
        interference excluded).
    """
    m = MORPHOLOGIES[code]
    layer = config.layers[m.name]
    band = get_band(layer.band)
    ant = get_antenna(band.antenna)
    t, lk = config.targets, config.link
    mix = user_mix(config.morphology_class(code), band.f_c_ghz, layer.height_m)
    rho = isd_m * np.sqrt(np.sqrt(3.0) / (2.0 * np.pi))  # disc of the site's area
    r = rho * np.sqrt((np.arange(_N_RINGS) + 0.5) / _N_RINGS)
    d = np.maximum(r, 10.0)
    pl = np.asarray(
        pathloss(
            m.scenario, d, layer.height_m, m.h_ut_m, band.f_c_ghz, los="prob", extrapolate=True
        )
    )
    if config.pathloss_corrections and code in config.pathloss_corrections:
        a_db, b_db = config.pathloss_corrections[code]  # tuned model (nrplan tune)
        pl = pl + a_db + b_db * np.log10(d)
    n_re = 10.0 * np.log10(12 * band.n_prb)
    p_re = float(re_power_dbm(band.power_dbm, band.n_prb))
    rsrp = p_re + ant.max_gain_dbi["ssb"] - pl
    coupling = ant.max_gain_dbi["traffic"] - pl
    ul_noise = float(thermal_noise_dbm(band.scs_khz * 1e3, band.gnb_nf_db)) + lk.ul_iot_db
    dl_noise_re = float(thermal_noise_dbm(band.scs_khz * 1e3, band.ue_nf_db))
    table = RateTable.cached(band.name, "cqi-table2", lk.ul_prb_share)
    req_ul = float(table.required_sinr(np.array(t.edge_ul_mbps), "ul"))
    req_dl = float(table.required_sinr(np.array(t.edge_dl_mbps), "dl"))
    cov = np.zeros(N_TYPES)
    ul_fail = np.zeros(N_TYPES)
    dl_fail = np.zeros(N_TYPES)
    for k in range(N_TYPES):
        e = lk.body_loss_db + mix.loss_db[k]
        sigma = float(np.hypot(mix.sigma_common_db[k], mix.sigma_ind_db))
        c = np.minimum(rsrp - e - t.rsrp_dbm, rsrp - e - dl_noise_re - t.sinr_db)
        ul_med = (
            band.ue_power_dbm - e - 10.0 * np.log10(12 * band.n_prb * lk.ul_prb_share) + coupling
            - ul_noise
        )  # fmt: skip
        dl_med = band.power_dbm + ant.max_gain_dbi["traffic"] - pl - e - (dl_noise_re + n_re)
        cov[k] = float(ndtr(c / sigma).mean())
        ul_fail[k] = float(edge_fail_probability(c, ul_med - req_ul, sigma).mean())
        dl_fail[k] = float(edge_fail_probability(c, dl_med - req_dl, sigma).mean())
    sh = np.asarray(mix.share)
    ind = sh[1:].sum()
    covered = float((sh * cov).sum())
    return {
        "outdoor": float(cov[0]),
        "indoor": float((sh[1:] * cov[1:]).sum() / ind) if ind > 0 else 1.0,
        "ul_fail": float((sh * ul_fail).sum() / covered) if covered > 0 else 1.0,
        "dl_fail": float((sh * dl_fail).sum() / covered) if covered > 0 else 1.0,
    }


#: ISDs at which the reference cluster is measured [m] (log-spaced; each
#: target's ISD is interpolated between the two that bracket it).
CLUSTER_ISDS_M = tuple(float(x) for x in np.geomspace(120.0, 6000.0, 25))

#: Projected CRS of the reference cluster (on a UTM central meridian, where
#: grid and true north agree).
_CLUSTER_ORIGIN = (500_000.0, 3_500_000.0, "EPSG:32650")


def cluster_users(code: int, isd_m: float, config: PlanConfig) -> dict[str, float]:
    """The users of the central site of a hexagonal reference cluster, measured
    as the planner measures a city.

    37 three-sector sites (three rings) of the class's layer at ``isd_m`` on
    its morphology; the engine predicts SS-RSRP, SS-SINR at full SSB load and
    the PDSCH at the planning load over the central site's Voronoi cell
    (pixels of ``isd_m / 12``, at least 5 m), and :mod:`nrplan.plan.users` measures
    its users (uniform over the cell) against the targets.

    Returns
    -------
    dict
        ``outdoor`` and ``indoor`` (covered shares of those users), ``ul_fail``
        and ``dl_fail`` (shares of the covered users below the edge rates).
    """
    from scipy.spatial import cKDTree

    x0, y0, crs = _CLUSTER_ORIGIN
    pixel = float(max(isd_m / 12.0, 5.0))
    half = 3.5 * isd_m
    n = int(np.ceil(2.0 * half / pixel))
    grid = Grid(x0 - half, y0 + half, pixel, n, n, crs)
    x, y = hex_lattice(-half, -half, half, half, isd_m)
    ring = np.hypot(x, y) <= 3.0 * isd_m + 1.0
    x, y = x[ring] + x0, y[ring] + y0
    k = x.size
    sites = SiteSet(x, y, np.full(k, code, np.uint8), np.zeros(k, bool), np.full(k, "nominal"))
    xc, yc = np.meshgrid(grid.x_centers(), grid.y_centers())
    _, nearest = cKDTree(np.column_stack([x, y])).query(np.column_stack([xc.ravel(), yc.ravel()]))
    centre = int(np.argmin(np.hypot(x - x0, y - y0)))
    scope = (nearest == centre).reshape(grid.shape)
    morph = np.full(grid.shape, code, np.uint8)
    zero = np.zeros(grid.shape)
    m = Measure(grid, morph, scope, scope.astype(float), zero, zero, config)
    m.isd = {code: isd_m}
    *_, _loads, terms = full_measure(m, sites)
    sums, tot = m.sums(terms), m.totals
    cov = max(sums["cov_users"], 1e-12)
    return {
        "outdoor": sums["out_users"] / tot["out_users"] if tot["out_users"] > 0 else 1.0,
        "indoor": sums["in_users"] / tot["in_users"] if tot["in_users"] > 0 else 1.0,
        "ul_fail": sums["ul_fail"] / cov,
        "dl_fail": sums["dl_fail"] / cov,
    }


def _target_tests(config: PlanConfig) -> dict:
    t = config.targets
    q = t.edge_percentile / 100.0
    tests = {
        "coverage-outdoor": lambda k: k["outdoor"] - max(t.area_coverage, t.population_coverage),
        "coverage-indoor": lambda k: k["indoor"] - t.indoor_population_coverage,
        "uplink": lambda k: q - k["ul_fail"],
        "downlink": lambda k: q - k["dl_fail"],
    }
    if t.indoor_population_coverage <= 0:
        tests.pop("coverage-indoor")
    return tests


def _coverage_isds(code: int, config: PlanConfig) -> dict[str, float]:
    """Largest ISD meeting each coverage target on the reference cluster [m];
    cached per (class, config): it does not depend on the demand."""
    return dict(_coverage_isds_cached(code, config.model_dump_json()))


@functools.lru_cache(maxsize=256)
def _coverage_isds_cached(code: int, config_json: str) -> tuple[tuple[str, float], ...]:
    config = PlanConfig.model_validate_json(config_json)
    tests = _target_tests(config)
    isds = np.array(CLUSTER_ISDS_M)
    kpis = [cluster_users(code, float(d), config) for d in isds]
    out = {}
    for name, fn in tests.items():
        g = np.array([fn(k) for k in kpis])
        ok = np.flatnonzero(g >= 0)
        if ok.size == 0:  # unreachable at any density: the best one
            out[name] = float(isds[int(np.argmax(g))])
        elif ok[-1] == isds.size - 1:
            out[name] = float(isds[-1])
        else:
            j = int(ok[-1])  # the largest ISD meeting it: interpolate in log ISD
            f = g[j] / (g[j] - g[j + 1])
            out[name] = float(np.exp(np.log(isds[j]) + f * np.log(isds[j + 1] / isds[j])))
    return tuple(out.items())


def single_site_isd_m(code: int, config: PlanConfig) -> float:
    """The link-budget ISD of one site without neighbours (:func:`site_area_users`):
    the smallest over the targets of the largest ISD meeting it [m] (cached)."""
    return _single_site_cached(code, config.model_dump_json())


@functools.lru_cache(maxsize=256)
def _single_site_cached(code: int, config_json: str) -> float:
    config = PlanConfig.model_validate_json(config_json)
    tests = _target_tests(config)
    lo, hi = ISD_LIMITS_M
    best = hi
    for fn in tests.values():

        def g(log_isd, fn=fn):
            return fn(site_area_users(code, float(np.exp(log_isd)), config))

        if g(np.log(lo)) < 0:
            return lo
        if g(np.log(hi)) < 0:
            best = min(best, float(np.exp(brentq(g, np.log(lo), np.log(hi), xtol=1e-3))))
    return best


def dimension_class(
    code: int,
    area_km2: float,
    dl_mbps: float,
    ul_mbps: float,
    config: PlanConfig,
) -> ClassDimension:
    """Dimension one morphology class.

    Parameters
    ----------
    code : int
        Morphology code.
    area_km2 : float
        In-scope area of the class [km^2].
    dl_mbps, ul_mbps : float
        Busy-hour offered traffic of that area [Mbit/s].
    config : PlanConfig
        Targets, link values and layer engineering.
    """
    morph = MORPHOLOGIES[code]
    layer = config.layers[morph.name]
    band = get_band(layer.band)
    t = config.targets
    try:
        by_target = _coverage_isds(code, config)
    except NrplanInputError as exc:
        raise NrplanInputError(
            exc.field, exc.value, exc.allowed, message=f"{morph.name} on {band.name}: {exc}"
        ) from None
    cov_limit = min(by_target, key=by_target.get)
    isd_cov = by_target[cov_limit]

    tdd = band.tdd
    cap_dl = float(
        sum(
            user_rate_mbps(DIMENSIONING_SINR_DB, bw, band.scs_khz, band.max_dl_layers, tdd, "dl")
            for bw in band.carriers_mhz
        )
    )
    cap_ul = float(
        user_rate_mbps(
            DIMENSIONING_SINR_DB, band.carriers_mhz[0], band.scs_khz, band.max_ul_layers, tdd, "ul"
        )
    )
    dens_dl = dl_mbps / area_km2 if area_km2 > 0 else 0.0
    dens_ul = ul_mbps / area_km2 if area_km2 > 0 else 0.0
    site_area = np.inf
    if dens_dl > 0:
        site_area = min(site_area, 3 * cap_dl * t.load_limit / dens_dl)
    if dens_ul > 0:
        site_area = min(site_area, 3 * cap_ul * t.load_limit / dens_ul)
    isd_cap = _hex_isd(site_area) if np.isfinite(site_area) else float("inf")
    lo, hi = ISD_LIMITS_M
    if isd_cap < isd_cov:
        isd, limiting = isd_cap, "capacity"
    else:
        isd, limiting = isd_cov, cov_limit
    isd = float(np.clip(isd, lo, hi))
    sites = area_km2 / (np.sqrt(3.0) / 2.0 * (isd / 1000.0) ** 2)
    return ClassDimension(
        code=code,
        name=morph.name,
        scenario=morph.scenario,
        band=band.name,
        area_km2=float(area_km2),
        traffic_dl_mbps_km2=dens_dl,
        traffic_ul_mbps_km2=dens_ul,
        isd_by_target={k: float(v) for k, v in by_target.items()},
        coverage_isd_m=float(isd_cov),
        cell_range_m=float(isd_cov / 1.5),
        cell_capacity_dl_mbps=cap_dl,
        cell_capacity_ul_mbps=cap_ul,
        capacity_isd_m=float(isd_cap),
        isd_m=isd,
        limiting=limiting,
        sites_estimate=float(sites),
        single_site_isd_m=single_site_isd_m(code, config),
    )


def dimension_classes(
    morphology: np.ndarray,
    scope: np.ndarray,
    dl_mbps: np.ndarray,
    ul_mbps: np.ndarray,
    pixel_area_km2: float,
    config: PlanConfig,
) -> list[ClassDimension]:
    """Dimension every morphology class present in the in-scope area."""
    out = []
    for code in sorted(MORPHOLOGIES):
        sel = scope & (morphology == code)
        n = int(sel.sum())
        if n == 0:
            continue
        out.append(
            dimension_class(
                code,
                n * pixel_area_km2,
                float(dl_mbps[sel].sum(dtype=np.float64)),
                float(ul_mbps[sel].sum(dtype=np.float64)),
                config,
            )
        )
    return out
