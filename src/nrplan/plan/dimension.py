"""Dimensioning per morphology class: coverage ISD from the link budget,
capacity ISD from the demand, and which of the two limits.

Coverage
    The maximum cell range ``R`` is the smallest of the DL edge-rate range,
    the UL edge-rate range (:func:`nrplan.radio.linkbudget.link_budget`), the
    range at which the SS-RSRP falls to the target threshold with the
    outdoor shadowing margin, and the same indoors (mean O2I loss of the
    class, combined sigma). The cell-edge probability for a target area
    share follows Jakes' relation: for sigma/n ~ 2 (sigma 7-8 dB, path loss
    exponent ~3.8) the area coverage is 0.1-0.2 above the edge coverage
    (W. C. Jakes, *Microwave Mobile Communications*, 1974; T. S. Rappaport,
    *Wireless Communications*, 2nd ed., Fig. 4.18); on a hexagonal layout
    a pixel at the cell edge also sees the neighbours, so nrplan takes the
    upper end, 0.2 (checked on the embedded cities: the refinement then
    prunes less than a fifth of the nominal sites). For
    hexagonal three-sector sites the inter-site distance is ``ISD = 1.5 R``
    (site area ``9 sqrt(3) / 8 R^2``; e.g. Holma & Toskala, *LTE for UMTS*,
    2nd ed., 2011, section 10.3). The budget uses no shadowing margin
    (``edge_coverage = 0.5``) because the targets are measured by the engine
    on the median prediction; refinement corrects what dimensioning misses.

Capacity
    Each site must carry its share of the busy-hour traffic at the load
    limit: ``A_site = 3 C_cell rho_max / D`` with ``D`` the busy-hour traffic
    density of the class [Mbit/s/km^2] and ``C_cell`` the cell throughput at
    the dimensioning SINR (:data:`DIMENSIONING_SINR_DB`) with all resources
    and the band's MIMO layers (:func:`nrplan.radio.nr.user_rate_mbps`). On a
    hexagonal lattice ``A_site = sqrt(3) / 2 ISD^2``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import norm

from nrplan.errors import NrplanInputError
from nrplan.morphology import MORPHOLOGIES
from nrplan.plan.config import PlanConfig
from nrplan.radio.bands import get_band
from nrplan.radio.linkbudget import link_budget, range_for_path_loss, re_power_dbm
from nrplan.radio.nr import user_rate_mbps
from nrplan.radio.o2i import o2i_loss, o2i_sigma
from nrplan.radio.pathloss import shadow_sigma

__all__ = [
    "DIMENSIONING_SINR_DB",
    "ISD_LIMITS_M",
    "ClassDimension",
    "class_shadowing",
    "dimension_class",
    "dimension_classes",
    "edge_probability",
    "shadowing_maps",
]

#: SINR at which a cell's throughput is assessed for capacity dimensioning [dB]:
#: close to the median downlink SINR of a loaded interference-limited
#: hexagonal macro layout (TR 38.901 7.8 calibration, UMa: median SINR a few dB
#: above 0). An nrplan default; the refinement measures real loads.
DIMENSIONING_SINR_DB = 5.0

#: Smallest and largest ISD a nominal layout uses [m].
ISD_LIMITS_M = (100.0, 20_000.0)


@dataclass(frozen=True)
class ClassDimension:
    """Dimensioning result of one morphology class."""

    code: int
    name: str
    scenario: str
    band: str
    area_km2: float
    traffic_dl_mbps_km2: float
    traffic_ul_mbps_km2: float
    range_dl_m: float
    range_ul_m: float
    range_rsrp_m: float
    range_rsrp_indoor_m: float
    cell_range_m: float
    coverage_isd_m: float
    cell_capacity_dl_mbps: float
    cell_capacity_ul_mbps: float
    capacity_isd_m: float
    isd_m: float
    limiting: str
    sites_estimate: float

    def as_dict(self) -> dict:
        return asdict(self)


def _hex_isd(site_area_km2: float) -> float:
    """ISD [m] of a hexagonal lattice with the given area per site."""
    return float(np.sqrt(2.0 * site_area_km2 * 1e6 / np.sqrt(3.0)))


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
        Targets and layer engineering.
    """
    morph = MORPHOLOGIES[code]
    layer = config.layers[morph.name]
    band = get_band(layer.band)
    t = config.targets
    edge_dl = max(t.edge_dl_mbps, 1e-3)
    edge_ul = max(t.edge_ul_mbps, 1e-3)
    try:
        lb = link_budget(
            band,
            morph.scenario,
            edge_dl,
            edge_ul,
            h_bs=layer.height_m,
            h_ut=morph.h_ut_m,
            edge_coverage=0.5,
        )
    except NrplanInputError as exc:
        raise NrplanInputError(
            exc.field,
            exc.value,
            exc.allowed,
            message=f"{morph.name} on {band.name}: {exc}",
        ) from None
    # ranges at which SS-RSRP reaches the threshold (SSB beam, per-RE power)
    p_re = float(re_power_dbm(band.power_dbm, band.n_prb))
    sig_out, sig_in, loss_in = class_shadowing(code, config)
    z_out = norm.ppf(edge_probability(t.area_coverage))
    z_in = norm.ppf(edge_probability(t.indoor_population_coverage))
    mapl_rsrp = p_re + lb.ssb_gain_dbi - t.rsrp_dbm
    r_rsrp, _ = range_for_path_loss(
        mapl_rsrp - z_out * sig_out,
        morph.scenario,
        layer.height_m,
        morph.h_ut_m,
        band.f_c_ghz,
        "prob",
    )
    ranges = {"coverage-dl": lb.range_dl_m, "coverage-ul": lb.range_ul_m, "coverage-rsrp": r_rsrp}
    r_in = float("inf")
    if t.indoor_population_coverage > 0:
        r_in, _ = range_for_path_loss(
            mapl_rsrp - loss_in - z_in * sig_in,
            morph.scenario,
            layer.height_m,
            morph.h_ut_m,
            band.f_c_ghz,
            "prob",
        )
        ranges["coverage-indoor"] = r_in
    cov_limit = min(ranges, key=ranges.get)
    r = ranges[cov_limit]
    isd_cov = 1.5 * r

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
        range_dl_m=float(lb.range_dl_m),
        range_ul_m=float(lb.range_ul_m),
        range_rsrp_m=float(r_rsrp),
        range_rsrp_indoor_m=float(r_in),
        cell_range_m=float(r),
        coverage_isd_m=float(isd_cov),
        cell_capacity_dl_mbps=cap_dl,
        cell_capacity_ul_mbps=cap_ul,
        capacity_isd_m=float(isd_cap),
        isd_m=isd,
        limiting=limiting,
        sites_estimate=float(sites),
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


def edge_probability(area_share: float) -> float:
    """Cell-edge coverage probability for a target area share (see module notes)."""
    return float(np.clip(area_share - 0.2, 0.5, 0.99))


def class_shadowing(code: int, config: PlanConfig) -> tuple[float, float, float]:
    """Outdoor sigma, indoor sigma [dB] and mean O2I loss [dB] of a class.

    Outdoor sigma is the NLOS sigma_SF of the class's scenario (Table
    7.4.1-1; the cell edge is mostly NLOS). Indoors, the TR 38.901 7.4.3
    low- and high-loss buildings are mixed by the class's
    ``high_loss_share`` at the band's frequency and the mean indoor distance
    of the scenario, averaged in linear power; the indoor sigma combines
    sigma_SF with the mix's sigma_P as independent Gaussians.
    """
    from nrplan.radio.o2i import mean_indoor_distance

    m = MORPHOLOGIES[code]
    band = get_band(config.layers[m.name].band)
    sig_sf = float(shadow_sigma(m.scenario, "nlos"))
    try:
        d_in = mean_indoor_distance(m.scenario)
    except NrplanInputError:
        d_in = None
    low = float(o2i_loss("low", band.f_c_ghz, d_in))
    high = float(o2i_loss("high", band.f_c_ghz, d_in))
    h = m.high_loss_share
    loss = float(-10 * np.log10((1 - h) * 10 ** (-low / 10) + h * 10 ** (-high / 10)))
    sig_p = (1 - h) * o2i_sigma("low") + h * o2i_sigma("high")
    return sig_sf, float(np.hypot(sig_sf, sig_p)), loss


def shadowing_maps(
    morphology: np.ndarray, config: PlanConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-pixel outdoor sigma, indoor sigma and mean O2I loss [dB] (see
    :func:`class_shadowing`); pixels outside every class get 1 dB / 0 dB."""
    sig_out = np.ones(morphology.shape, np.float32)
    sig_in = np.ones(morphology.shape, np.float32)
    loss = np.zeros(morphology.shape, np.float32)
    for code in MORPHOLOGIES:
        sel = morphology == code
        if sel.any():
            so, si, lo = class_shadowing(code, config)
            sig_out[sel], sig_in[sel], loss[sel] = so, si, lo
    return sig_out, sig_in, loss
