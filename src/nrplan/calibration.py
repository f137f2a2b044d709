"""TR 38.901 clause 7.8.1 large-scale (phase-1) calibration through nrplan's radio core.

Setup (TR 38.901 Table 7.8-1, UMa and UMi-Street Canyon):

- 19 sites x 3 sectors = 57 cells on a hexagonal grid with wrap-around (each
  link uses the nearest of the 7 images of the 19-site cluster, cluster shift
  sqrt(19) ISD); ISD 500 m (UMa) / 200 m (UMi); BS height 25 m / 10 m.
- UTs uniform over the cells (10 per cell per drop), minimum 2D BS-UT distance
  35 m (UMa) / 10 m (UMi); 80 % indoor, h_UT = 3 (n_fl - 1) + 1.5 m with
  n_fl ~ U{1..N_fl}, N_fl ~ U{4..8}; outdoor h_UT = 1.5 m.
- O2I: 50 % low-loss, 50 % high-loss buildings (Table 7.4.3-2), d_2D-in = min of
  two U(0, 25 m); one building (type, d_2D-in, sigma_P draw) per UT.
- LOS state per link from Table 7.4.2-1 (on d_2D-out), path loss Table 7.4.1-1
  (UMa with the random h_E of note 1), shadow fading N(0, sigma_SF) per link,
  no fast fading.
- BS antenna: one column of M = 10 Table 7.3-1 elements, 0.5 lambda, DFT
  electrical downtilt 102 deg zenith (12 deg below horizon), 3 sectors with
  boresights 30/150/270 deg; UT antenna isotropic 0 dBi
  (:func:`nrplan.radio.antenna.column_gain`).
- BS power 49 dBm (UMa) / 44 dBm (UMi) at 6 GHz, 35 dBm at 30/70 GHz;
  bandwidth 20 MHz at 6 GHz, 100 MHz at 30/70 GHz; UT noise figure 9 dB.
- Serving cell: minimum coupling loss. Coupling loss = PL + O2I + SF - G_BS - G_UT.
  SIR: serving power over the sum of the other 56 cells; SINR adds thermal noise.

Reference and agreement
-----------------------
The reference is the median over the 3GPP companies' phase-1 results of
R1-165974 (August 2016), transcribed at 5 % steps in QuaDRiGa's
``tutorials/calib_3GPP_ref_data.m`` (``cl38900a``, ``gf38900a``; coupling gain
and geometry without noise). Those results were produced with TR 38.900
v14.0.0; the UMa LOS model changed in TR 38.901 v14.1.0 (QuaDRiGa notes
"significant differences in the UMa calibration curves" for that reason).
Measured with ``nrplan calibrate --drops 20 --seed 1`` (11 400 UTs), percentiles
[dB] as nrplan / reference:

=====================  ====================================  ==================================
6 GHz                  coupling loss p5 / p10 / p50 / p90 / p95  SIR p5 / p10 / p50 / p90 / p95
=====================  ====================================  ==================================
UMi nrplan             74.8 / 81.9 / 111.3 / 135.3 / 141.5    -1.8 / -0.5 / 7.3 / 21.7 / 24.8
UMi R1-165974          74.8 / 82.0 / 112.2 / 136.4 / 142.3    -1.7 / -0.5 / 7.3 / 22.1 / 24.9
UMa nrplan             86.5 / 93.8 / 120.0 / 144.3 / 149.7    -0.9 /  0.2 / 8.6 / 23.3 / 25.6
UMa R1-165974          86.0 / 93.7 / 120.3 / 144.7 / 150.4    -1.0 /  0.1 / 8.6 / 23.4 / 25.6
=====================  ====================================  ==================================

All 6 GHz percentiles agree within 1.1 dB (coupling loss) and 0.4 dB (SIR); at
30 and 70 GHz within 1.3 dB and 0.5 dB. SINR (20 MHz, NF 9 dB) medians:
UMi 5.6 dB, UMa 6.1 dB (the reference table gives geometry without noise only).

References
----------
3GPP TR 38.901 V17.0.0, clause 7.8.1, Table 7.8-1; Tables 7.3-1, 7.4.1-1,
7.4.2-1, 7.4.3-1, 7.4.3-2. 3GPP R1-165974, "Summary of calibration results"
(RAN1#86, 2016). QuaDRiGa v2 tutorial ``calib_3GPP_38901_large_scale.m`` and
``calib_3GPP_ref_data.m`` (Fraunhofer HHI), reference data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nrplan.errors import NrplanInputError, check_choice, check_range
from nrplan.radio.antenna import column_gain
from nrplan.radio.linkbudget import THERMAL_NOISE_DBM_HZ
from nrplan.radio.los import los_probability
from nrplan.radio.o2i import indoor_distance, o2i_loss, o2i_sigma
from nrplan.radio.pathloss import pathloss_los, pathloss_nlos, shadow_sigma

__all__ = [
    "BANDWIDTH_HZ",
    "CALIBRATION_SCENARIOS",
    "PERCENTILES",
    "REFERENCE_R1_165974",
    "TABLE_7_8_1",
    "CalibrationResult",
    "hex_sites",
    "percentiles",
    "run_calibration",
    "wrap_distances",
    "wrap_shifts",
]

CALIBRATION_SCENARIOS = ("uma", "umi")

TABLE_7_8_1: dict[str, dict[str, Any]] = {
    "uma": {
        "isd_m": 500.0,
        "h_bs_m": 25.0,
        "min_d2d_m": 35.0,
        "power_dbm": {6.0: 49.0, 30.0: 35.0, 70.0: 35.0},
    },
    "umi": {
        "isd_m": 200.0,
        "h_bs_m": 10.0,
        "min_d2d_m": 10.0,
        "power_dbm": {6.0: 44.0, 30.0: 35.0, 70.0: 35.0},
    },
    "common": {
        "n_sites": 19,
        "sectors_deg": (30.0, 150.0, 270.0),  # boresights, math angle (x east, ccw)
        "indoor_fraction": 0.8,
        "high_loss_fraction": 0.5,
        "n_floors": (4, 8),  # N_fl ~ U{4..8}, n_fl ~ U{1..N_fl}
        "floor_height_m": 3.0,
        "h_ut_outdoor_m": 1.5,
        "ut_noise_figure_db": 9.0,
        "ut_gain_dbi": 0.0,
        "bs_column_elements": 10,
        "bs_spacing_lambda": 0.5,
        "bs_etilt_deg": 12.0,  # 102 deg zenith
        "ut_per_cell": 10,
    },
}
"""Large-scale calibration parameters, TR 38.901 V17.0.0 Table 7.8-1."""

BANDWIDTH_HZ: dict[float, float] = {6.0: 20e6, 30.0: 100e6, 70.0: 100e6}
"""Simulation bandwidth per carrier frequency [Hz], TR 38.901 Table 7.8-1."""

PERCENTILES = (5, 10, 50, 90, 95)

REFERENCE_R1_165974: dict[tuple[str, float], dict[str, dict[str, float]]] = {
    ("umi", 6.0): {
        "coupling_loss_db": {"p5": 74.8, "p10": 82.0, "p50": 112.2, "p90": 136.4, "p95": 142.3},
        "sir_db": {"p5": -1.7, "p10": -0.5, "p50": 7.3, "p90": 22.1, "p95": 24.9},
    },
    ("umi", 30.0): {
        "coupling_loss_db": {"p5": 89.3, "p10": 97.1, "p50": 132.4, "p90": 158.5, "p95": 164.6},
        "sir_db": {"p5": -1.6, "p10": -0.4, "p50": 7.5, "p90": 22.2, "p95": 24.9},
    },
    ("umi", 70.0): {
        "coupling_loss_db": {"p5": 96.8, "p10": 105.2, "p50": 149.1, "p90": 177.8, "p95": 184.2},
        "sir_db": {"p5": -1.6, "p10": -0.4, "p50": 7.5, "p90": 22.4, "p95": 25.0},
    },
    ("uma", 6.0): {
        "coupling_loss_db": {"p5": 86.0, "p10": 93.7, "p50": 120.3, "p90": 144.7, "p95": 150.4},
        "sir_db": {"p5": -1.0, "p10": 0.1, "p50": 8.6, "p90": 23.4, "p95": 25.6},
    },
    ("uma", 30.0): {
        "coupling_loss_db": {"p5": 102.0, "p10": 110.1, "p50": 140.1, "p90": 166.3, "p95": 172.0},
        "sir_db": {"p5": -1.0, "p10": 0.2, "p50": 8.6, "p90": 23.4, "p95": 25.6},
    },
    ("uma", 70.0): {
        "coupling_loss_db": {"p5": 110.7, "p10": 119.7, "p50": 156.6, "p90": 185.5, "p95": 191.4},
        "sir_db": {"p5": -0.9, "p10": 0.1, "p50": 8.5, "p90": 23.4, "p95": 25.6},
    },
}
"""Median of the companies' phase-1 calibration CDFs (R1-165974), 6/30/70 GHz.

Coupling loss percentiles are of the loss (the source tabulates coupling gain:
loss p5 = -gain p95). SIR = geometry without noise. Transcribed from QuaDRiGa
``tutorials/calib_3GPP_ref_data.m`` (arrays ``cl38900a``, ``gf38900a``)."""


@dataclass(frozen=True)
class CalibrationResult:
    """Outcome of :func:`run_calibration`.

    Attributes
    ----------
    scenario : str
    fc_ghz : float
    seed : int
    n_ut : int
    coupling_loss_db, sir_db, sinr_db : numpy.ndarray
        Per-UT values [dB].
    serving_cell : numpy.ndarray
        Serving cell index 0..56 per UT (site * 3 + sector).
    """

    scenario: str
    fc_ghz: float
    seed: int
    n_ut: int
    coupling_loss_db: np.ndarray
    sir_db: np.ndarray
    sinr_db: np.ndarray
    serving_cell: np.ndarray

    def summary(self) -> dict[str, Any]:
        """Percentiles in the ``nrplan calibrate --json`` shape."""
        return {
            "coupling_loss_db": percentiles(self.coupling_loss_db),
            "sir_db": percentiles(self.sir_db),
            "sinr_db": percentiles(self.sinr_db),
            "scenario": self.scenario,
            "fc_ghz": self.fc_ghz,
            "seed": self.seed,
            "n_ut": self.n_ut,
        }


def percentiles(values: Any) -> dict[str, float]:
    """5/10/50/90/95th percentiles as ``{"p5": ..., ...}``."""
    v = np.asarray(values, dtype=float)
    return {
        f"p{p}": float(x) for p, x in zip(PERCENTILES, np.percentile(v, PERCENTILES), strict=True)
    }


def _basis(isd_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Hexagonal lattice basis: neighbours at 30 deg and 90 deg, length ISD."""
    a1 = isd_m * np.array([np.cos(np.radians(30.0)), np.sin(np.radians(30.0))])
    a2 = isd_m * np.array([0.0, 1.0])
    return a1, a2


def hex_sites(isd_m: float) -> np.ndarray:
    """Positions of the 19 sites (centre + 2 rings) [m], shape (19, 2).

    Neighbouring sites are ISD apart in the directions 30 + 60 k deg.
    """
    check_range("isd_m", isd_m, 0.0, None, lo_open=True, unit="m")
    a1, a2 = _basis(isd_m)
    pts = [
        q * a1 + r * a2
        for q in range(-2, 3)
        for r in range(-2, 3)
        if (abs(q) + abs(r) if q * r >= 0 else max(abs(q), abs(r))) <= 2
    ]
    return np.array(pts)


def wrap_shifts(isd_m: float) -> np.ndarray:
    """Translations of the 19-site cluster for wrap-around [m], shape (7, 2).

    Row 0 is the identity; rows 1-6 are T = 3 a1 + 2 a2 (|T| = sqrt(19) ISD)
    rotated by 60 k deg, which tile the plane with copies of the cluster.
    """
    a1, a2 = _basis(isd_m)
    t = 3.0 * a1 + 2.0 * a2
    ang = np.radians(60.0 * np.arange(6))
    rot = np.stack(
        [t[0] * np.cos(ang) - t[1] * np.sin(ang), t[0] * np.sin(ang) + t[1] * np.cos(ang)], axis=1
    )
    return np.vstack([np.zeros((1, 2)), rot])


def wrap_distances(
    ut_xy: np.ndarray, sites_xy: np.ndarray, shifts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Displacement BS -> UT to the nearest image of each site.

    Returns
    -------
    dx, dy : numpy.ndarray
        Shape (n_ut, n_sites) [m].
    """
    img = sites_xy[None, :, None, :] + shifts[None, None, :, :]  # (1, S, 7, 2)
    d = ut_xy[:, None, None, :] - img  # (U, S, 7, 2)
    k = np.argmin(np.einsum("usik,usik->usi", d, d), axis=2)  # (U, S)
    sel = np.take_along_axis(d, k[:, :, None, None], axis=2)[:, :, 0, :]
    return sel[..., 0], sel[..., 1]


def _drop_uts(
    rng: np.random.Generator, sites: np.ndarray, n_per_site: int, isd: float, min_d: float
) -> np.ndarray:
    """Uniform UT positions in each site's hexagon (Voronoi region), >= min_d from the site."""
    r_hex = isd / np.sqrt(3.0)  # circumradius; vertices at 0 + 60 k deg
    n_sites = len(sites)
    need = n_sites * n_per_site
    out = np.empty((0, 2))
    owner = np.empty(0, dtype=int)
    counts = np.zeros(n_sites, dtype=int)
    while len(out) < need:  # rejection rounds (vectorised within a round)
        m = 2 * need
        x = rng.uniform(-r_hex, r_hex, m)
        y = rng.uniform(-isd / 2.0, isd / 2.0, m)
        s = rng.integers(0, n_sites, m)
        ok = (np.sqrt(3.0) * np.abs(x) + np.abs(y) <= np.sqrt(3.0) * r_hex) & (
            np.hypot(x, y) >= min_d
        )
        x, y, s = x[ok], y[ok], s[ok]
        # keep at most the missing number per site, in draw order
        order = np.argsort(s, kind="stable")
        rank = np.empty_like(order)
        srt = s[order]
        first = np.searchsorted(srt, srt, side="left")
        rank[order] = np.arange(len(srt)) - first
        keep = rank < (n_per_site - counts[s])
        x, y, s = x[keep], y[keep], s[keep]
        counts += np.bincount(s, minlength=n_sites)
        out = np.vstack([out, np.column_stack([x, y]) + sites[s]])
        owner = np.concatenate([owner, s])
    return out[np.argsort(owner, kind="stable")]


def _one_drop(rng: np.random.Generator, scenario: str, fc: float) -> tuple[np.ndarray, ...]:
    par = TABLE_7_8_1[scenario]
    com = TABLE_7_8_1["common"]
    isd, h_bs = par["isd_m"], par["h_bs_m"]
    sites = hex_sites(isd)
    shifts = wrap_shifts(isd)
    n_sec = len(com["sectors_deg"])
    ut = _drop_uts(rng, sites, n_sec * com["ut_per_cell"], isd, par["min_d2d_m"])
    n_ut = len(ut)

    indoor = rng.random(n_ut) < com["indoor_fraction"]
    n_fl_max = rng.integers(com["n_floors"][0], com["n_floors"][1] + 1, n_ut)
    n_fl = np.floor(rng.random(n_ut) * n_fl_max).astype(int) + 1
    h_ut = np.where(
        indoor, com["floor_height_m"] * (n_fl - 1) + com["h_ut_outdoor_m"], com["h_ut_outdoor_m"]
    )
    d_in = np.where(indoor, indoor_distance(rng, n_ut, scenario), 0.0)
    high = rng.random(n_ut) < com["high_loss_fraction"]
    o2i = np.where(
        high,
        o2i_loss("high", fc, d_in) + o2i_sigma("high") * rng.standard_normal(n_ut),
        o2i_loss("low", fc, d_in) + o2i_sigma("low") * rng.standard_normal(n_ut),
    )
    o2i = np.where(indoor, o2i, 0.0)

    dx, dy = wrap_distances(ut, sites, shifts)  # (U, 19)
    d2d = np.hypot(dx, dy)
    hu = h_ut[:, None]
    d2d_out = np.maximum(d2d - d_in[:, None], 0.0)
    p_los = los_probability(scenario, d2d_out, hu)
    is_los = rng.random(d2d.shape) < p_los
    h_e: Any = "random" if scenario == "uma" else 1.0
    pl_los = pathloss_los(scenario, d2d, h_bs, hu, fc, h_e=h_e, rng=rng)
    pl_nlos = pathloss_nlos(scenario, d2d, h_bs, hu, fc, h_e=h_e, rng=rng)
    sigma = np.where(is_los, shadow_sigma(scenario, "los"), shadow_sigma(scenario, "nlos"))
    pl = np.where(is_los, pl_los, pl_nlos) + sigma * rng.standard_normal(d2d.shape)

    # antenna gain per (UT, site, sector)
    az = np.degrees(np.arctan2(dy, dx))[:, :, None]
    bores = np.asarray(com["sectors_deg"])[None, None, :]
    phi = (az - bores + 180.0) % 360.0 - 180.0
    theta = 90.0 + np.degrees(np.arctan2(h_bs - hu, d2d))[:, :, None]
    g_bs = column_gain(
        np.broadcast_to(theta, phi.shape),
        phi,
        n=com["bs_column_elements"],
        spacing_lambda=com["bs_spacing_lambda"],
        etilt_deg=com["bs_etilt_deg"],
    )
    cl = (pl[:, :, None] + o2i[:, None, None] - g_bs - com["ut_gain_dbi"]).reshape(n_ut, -1)
    return cl, np.arange(n_ut)


def run_calibration(
    scenario: str = "uma", fc_ghz: float = 6.0, seed: int = 1, drops: int = 20
) -> CalibrationResult:
    """Run the TR 38.901 7.8.1 large-scale calibration.

    Parameters
    ----------
    scenario : {"uma", "umi"}
        Deployment of Table 7.8-1.
    fc_ghz : {6, 30, 70}
        Carrier frequency [GHz] (Table 7.8-1 sets power and bandwidth per value).
    seed : int
        Seed of the ``numpy.random.Generator`` (the only randomness).
    drops : int
        Number of independent drops of 57 x 10 UTs.

    Returns
    -------
    CalibrationResult
        Per-UT coupling loss, SIR and SINR [dB].

    References
    ----------
    3GPP TR 38.901 V17.0.0, clause 7.8.1, Table 7.8-1.
    """
    scenario = check_choice("scenario", scenario, CALIBRATION_SCENARIOS)
    fc = float(fc_ghz)
    if fc not in BANDWIDTH_HZ:
        raise NrplanInputError("fc", fc_ghz, "6, 30 or 70 GHz (TR 38.901 Table 7.8-1)")
    check_range("drops", drops, 1, 10_000)
    if int(seed) != seed or seed < 0:
        raise NrplanInputError("seed", seed, "an integer >= 0")
    rng = np.random.default_rng(int(seed))
    cl = np.concatenate([_one_drop(rng, scenario, fc)[0] for _ in range(int(drops))])
    power = TABLE_7_8_1[scenario]["power_dbm"][fc]
    noise_dbm = (
        THERMAL_NOISE_DBM_HZ
        + 10.0 * np.log10(BANDWIDTH_HZ[fc])
        + TABLE_7_8_1["common"]["ut_noise_figure_db"]
    )
    serving = np.argmin(cl, axis=1)
    cl_serv = np.take_along_axis(cl, serving[:, None], axis=1)[:, 0]
    rx_mw = 10.0 ** ((power - cl) / 10.0)
    s_mw = 10.0 ** ((power - cl_serv) / 10.0)
    i_mw = rx_mw.sum(axis=1) - s_mw
    n_mw = 10.0 ** (noise_dbm / 10.0)
    return CalibrationResult(
        scenario=scenario,
        fc_ghz=fc,
        seed=int(seed),
        n_ut=len(cl),
        coupling_loss_db=cl_serv,
        sir_db=10.0 * np.log10(s_mw / i_mw),
        sinr_db=10.0 * np.log10(s_mw / (i_mw + n_mw)),
        serving_cell=serving,
    )
