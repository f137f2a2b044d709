"""Base-station antennas: the TR 38.901 element, sector geometry, massive-MIMO profiles.

Three layers:

1. The Table 7.3-1 element pattern (8 dBi, 65 deg HPBW, 30 dB limits) and the
   exact GCS -> LCS rotation of TR 38.901 7.1 (:func:`local_angles`) that turns
   site-to-point vectors into angles in the sector's frame.
2. One parametric beam formula, :func:`parametric_pattern`, driven by a seven
   number record :class:`PatternParams`. Every beam of every profile is such a
   record, so the fast engine can reimplement one formula (see its docstring)
   and match this module exactly.
3. Antenna profiles (:class:`AntennaProfile`, registry :data:`ANTENNA_PROFILES`)
   with three beams each: ``"ssb"`` (broadcast-beam envelope, for SS-RSRP),
   ``"traffic"`` (serving steered beam, for the wanted signal) and
   ``"average"`` (what other cells' users see, for interference: the traffic
   beam's power pattern averaged over the directions it is steered to), and an
   ``implementation_loss_db`` (AAU ohmic / feed / implementation loss against
   the datasheet gain) that :meth:`AntennaProfile.pattern_params`,
   :func:`sector_gain` and the prediction engine subtract from every beam.

Angle conventions (``docs/architecture.md``): zenith ``theta`` in [0, 180] with
90 = horizon, azimuth ``phi`` in (-180, 180]; map azimuths are compass bearings
(0 = north, clockwise); downtilt is positive below the horizon.

References
----------
3GPP TR 38.901 V17.0.0, clause 7.1 (coordinate systems, eq. 7.1-7, 7.1-8),
clause 7.3 (antenna modelling, Table 7.3-1, array factor with DFT weights),
clause 7.8.1 / Table 7.8-1 (large-scale calibration antenna).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from nrplan.errors import check_choice, check_range

__all__ = [
    "AAU_IMPLEMENTATION_LOSS_DB",
    "ANTENNA_PROFILES",
    "BEAMS",
    "ELEMENT_TABLE_7_3_1",
    "OMNI_GAIN_DBI",
    "PARABOLA_INTEGRAL",
    "AntennaProfile",
    "PatternParams",
    "column_gain",
    "element_horizontal",
    "element_pattern",
    "element_vertical",
    "get_antenna",
    "local_angles",
    "parametric_pattern",
    "sector_gain",
    "steering_average_factor",
]

# TR 38.901 V17.0.0, Table 7.3-1: radiation power pattern of a single element.
ELEMENT_TABLE_7_3_1: dict[str, float] = {
    "theta_3db_deg": 65.0,
    "phi_3db_deg": 65.0,
    "sla_v_db": 30.0,
    "a_max_db": 30.0,
    "g_max_dbi": 8.0,
}
_E = ELEMENT_TABLE_7_3_1

BEAMS = ("ssb", "traffic", "average")

PARABOLA_INTEGRAL = float(np.sqrt(np.pi / (1.2 * np.log(10.0))))
"""``k = integral of 10^(-1.2 (x/h)^2) dx / h = sqrt(pi / (1.2 ln 10)) = 1.0663``: the
linear-power integral of the TR 38.901 Table 7.3-1 parabola ``-12 (x/h)^2`` dB
(HPBW ``h``), in units of ``h`` (the 30 dB floor neglected)."""

AAU_IMPLEMENTATION_LOSS_DB = 2.8
"""Ohmic / feed / implementation loss of the active massive-MIMO panels [dB].

Defined as the model's peak gain minus the datasheet gain: the 64T64R panel
of 8 x 12 x 2 Table 7.3-1 elements has ``8 + 10 log10(96) = 27.8`` dBi, the
gain quoted for 3.5 GHz 64T64R AAUs ~25 dBi (worked 3.5 GHz link budget,
5g6gacademy.com/learn/5g-link-budget, 25 dBi; 5ghub.us n78 page ~24 dBi)
[industry - verify], so 27.8 - 25 = 2.8 dB. The same loss is applied to the
32T32R and 8T8R panels (same AAU technology). No ITU-R ohmic-loss value for
3.3-3.8 GHz AAS (M.2101 / WP5D characteristics) could be retrieved to cite;
ITU-R sharing simulators commonly use 2-3 dB, consistent with this value."""

# Half-power beamwidth of a uniform linear array of n elements at spacing d
# wavelengths, broadside: 2 * arcsin(1.391 / (pi n d)) ~ 0.886 / (n d) rad.
_ULA_HPBW_CONST = 1.3915574


def _r(x: float) -> float:
    """Round a derived profile number to 0.01 (plain float, for readable records)."""
    return float(round(float(x), 2))


def _ula_hpbw_deg(n: int, spacing_lambda: float) -> float:
    """Half-power beamwidth of a uniform broadside linear array [deg]."""
    return float(np.degrees(2.0 * np.arcsin(_ULA_HPBW_CONST / (np.pi * n * spacing_lambda))))


def steering_average_factor(hpbw_deg: float, scan_deg: float) -> float:
    """Mean array-factor power of a beam steered uniformly over +-scan, one plane.

    With the TR 38.901 parabola ``AF(x - s) = 10^(-1.2 ((x - s)/h)^2)`` (HPBW
    ``h``) and the steering direction ``s`` uniform in ``[-scan, scan]``, the
    mean power towards a direction ``x`` well inside the range is
    ``(1 / 2 scan) integral AF ds = k h / (2 scan)``, ``k`` =
    :data:`PARABOLA_INTEGRAL`. Capped at 1 (a range narrower than the beam
    keeps the whole array gain); a fixed feed (``scan = 0``) returns 1.

    Parameters
    ----------
    hpbw_deg : float
        Half-power beamwidth of the array factor in that plane [deg].
    scan_deg : float
        Half-width of the steering range in that plane [deg].

    Returns
    -------
    float
        ``f = min(1, k hpbw / (2 scan))`` (linear, <= 1).

    References
    ----------
    3GPP TR 38.901 V17.0.0, 7.3 (array of Table 7.3-1 elements, the
    parabolic pattern shape of Table 7.3-1).
    """
    if scan_deg <= 0.0:
        return 1.0
    return float(min(1.0, PARABOLA_INTEGRAL * hpbw_deg / (2.0 * scan_deg)))


# --------------------------------------------------------------------------- element


def element_vertical(theta_deg: ArrayLike) -> np.ndarray:
    """Vertical cut of the Table 7.3-1 element, ``A_V(theta)`` [dB] (<= 0).

    ``A_V = -min(12 ((theta - 90) / theta_3dB)**2, SLA_V)``, theta_3dB = 65 deg,
    SLA_V = 30 dB.

    Parameters
    ----------
    theta_deg : array_like
        Zenith angle in the local frame [deg], 90 = boresight elevation.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.3-1.
    """
    t = np.asarray(theta_deg, dtype=float)
    return -np.minimum(12.0 * ((t - 90.0) / _E["theta_3db_deg"]) ** 2, _E["sla_v_db"])


def element_horizontal(phi_deg: ArrayLike) -> np.ndarray:
    """Horizontal cut of the Table 7.3-1 element, ``A_H(phi)`` [dB] (<= 0).

    ``A_H = -min(12 (phi / phi_3dB)**2, A_max)``, phi_3dB = 65 deg, A_max = 30 dB.

    Parameters
    ----------
    phi_deg : array_like
        Azimuth in the local frame [deg], 0 = boresight, in (-180, 180].

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.3-1.
    """
    p = np.asarray(phi_deg, dtype=float)
    return -np.minimum(12.0 * (p / _E["phi_3db_deg"]) ** 2, _E["a_max_db"])


def element_pattern(theta_deg: ArrayLike, phi_deg: ArrayLike) -> np.ndarray:
    """Gain of the Table 7.3-1 element [dBi].

    ``G = G_max - min(-(A_V + A_H), A_max)`` with ``G_max`` = 8 dBi.

    Parameters
    ----------
    theta_deg, phi_deg : array_like
        Local zenith [deg] (90 = boresight) and azimuth [deg]; broadcast.

    Returns
    -------
    ndarray
        Gain [dBi], between -22 and 8.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.3-1.
    """
    a = -np.minimum(-(element_vertical(theta_deg) + element_horizontal(phi_deg)), _E["a_max_db"])
    return _E["g_max_dbi"] + a


# --------------------------------------------------------------------------- geometry


def local_angles(
    dx: ArrayLike,
    dy: ArrayLike,
    dz: ArrayLike,
    azimuth_deg: ArrayLike,
    downtilt_deg: ArrayLike = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Zenith and azimuth of a direction in a sector's local frame [deg].

    The global frame has x east, y north, z up. The sector's bearing in the
    TR 38.901 sense is ``alpha = 90 - azimuth_deg`` (compass to mathematical
    angle, counter-clockwise from east) and its mechanical downtilt
    ``beta = downtilt_deg`` (positive = boresight below the horizon), slant
    ``gamma = 0``. The direction is rotated into the local frame by
    ``R_y(beta)^-1 R_z(alpha)^-1``, which is eq. 7.1-7 / 7.1-8 with gamma = 0::

        cos theta' = cos(beta) cos(theta) + sin(beta) cos(phi - alpha) sin(theta)
        phi' = arg(cos(beta) sin(theta) cos(phi - alpha) - sin(beta) cos(theta)
                   + j sin(phi - alpha) sin(theta))

    computed here on the Cartesian vector (no per-point trigonometry but the
    final ``arctan2``). Electrical tilt is *not* part of this rotation: the
    patterns apply it as a shift of the vertical cut (``theta' - 90 - etilt``),
    see :func:`parametric_pattern`.

    Parameters
    ----------
    dx, dy, dz : array_like
        Vector from the antenna to the target: east, north, up [m].
    azimuth_deg : array_like
        Sector azimuth, compass bearing [deg] (0 = north, 90 = east).
    downtilt_deg : array_like
        Mechanical downtilt [deg], positive below the horizon.

    Returns
    -------
    theta_p : ndarray
        Local zenith angle [deg] in [0, 180], 90 = boresight elevation.
    phi_p : ndarray
        Local azimuth [deg] in (-180, 180], 0 = boresight, positive to the
        left (counter-clockwise seen from above).

    References
    ----------
    3GPP TR 38.901 V17.0.0, clause 7.1.1, eq. (7.1-7), (7.1-8), Figure 7.1-1.
    """
    alpha = np.radians(90.0 - np.asarray(azimuth_deg, dtype=float))
    beta = np.radians(np.asarray(downtilt_deg, dtype=float))
    dx = np.asarray(dx, dtype=float)
    dy = np.asarray(dy, dtype=float)
    dz = np.asarray(dz, dtype=float)
    ca, sa = np.cos(alpha), np.sin(alpha)
    cb, sb = np.cos(beta), np.sin(beta)
    x1 = ca * dx + sa * dy  # rotate by -alpha about z
    y1 = -sa * dx + ca * dy
    x2 = cb * x1 - sb * dz  # rotate by -beta about y (boresight down to the horizon)
    z2 = sb * x1 + cb * dz
    theta_p = np.degrees(np.arctan2(np.hypot(x2, y1), z2))
    phi_p = np.degrees(np.arctan2(y1, x2))
    phi_p = np.where(phi_p == -180.0, 180.0, phi_p)
    return theta_p, phi_p


# --------------------------------------------------------------------------- beams


class PatternParams(NamedTuple):
    """Parameters of one beam for :func:`parametric_pattern` (a plain record).

    A beam is the Table 7.3-1 element times an array factor (AF) whose peak
    can be steered within a scan range; the AF is modelled with the
    38.901-shaped parabola.

    Attributes
    ----------
    g_max_dbi : float
        Peak gain: element peak (8 dBi) + AF gain [dBi] (an
        :class:`AntennaProfile` subtracts its ``implementation_loss_db`` from
        it in :meth:`AntennaProfile.pattern_params`).
    phi_3db_deg, theta_3db_deg : float
        Horizontal / vertical half-power beamwidth of the AF beam [deg];
        sets how fast gain is lost off the beam (beyond the scan range).
    a_max_db : float
        Limit of the total attenuation below ``g_max_dbi`` [dB].
    sla_v_db : float
        Limit of the vertical AF attenuation [dB].
    scan_h_deg, scan_v_deg : float
        Half-width of the range over which the AF peak follows the target,
        horizontally and vertically about the electrically tilted boresight
        [deg]: 0 = fixed beam, 180 = no AF roll-off in that plane (the
        pattern there is the element's).
    """

    g_max_dbi: float
    phi_3db_deg: float
    theta_3db_deg: float
    a_max_db: float
    sla_v_db: float
    scan_h_deg: float
    scan_v_deg: float


def parametric_pattern(
    theta_deg: ArrayLike,
    phi_deg: ArrayLike,
    params: PatternParams,
    etilt_deg: ArrayLike = 0.0,
) -> np.ndarray:
    """Gain of an element x steerable-array-factor beam [dBi].

    The one formula behind every beam (the fast engine reimplements exactly
    this; the constants are the record's fields and Table 7.3-1: 65 deg,
    30 dB)::

        u     = theta - 90                               # element frame (mechanical)
        v     = theta - 90 - etilt                       # AF frame (electrically tilted)
        v_s   = clip(v,   -scan_v, scan_v)               # where the AF peak points
        phi_s = clip(phi, -scan_h, scan_h)
        L_el  = min(min(12 (u/65)^2, 30) + min(12 (phi/65)^2, 30), 30)  # Table 7.3-1
        L_af  = min(12 ((v - v_s)/theta_3db)^2, sla_v)
              + min(12 ((phi - phi_s)/phi_3db)^2, a_max)                # off the AF peak
        G     = g_max - min(L_el + L_af, a_max)

    Inside the scan range the AF peak points at the target and the gain is
    the element pattern + AF gain (``g_max - 8``). Beyond it the AF peak
    stays at the scan edge and the target is off the beam by ``v - v_s`` /
    ``phi - phi_s``: the array gain is lost along the AF's 38.901-shaped
    cut. Electrical tilt shifts the AF's vertical cut only (a single element
    cannot be tilted electrically; the element turns with the mechanical
    tilt already applied by :func:`local_angles`). Special cases: scan 180 /
    180 with g_max 8 is exactly Table 7.3-1; scan 0 is a fixed beam of AF
    HPBW ``phi_3db`` x ``theta_3db`` on the element.

    Parameters
    ----------
    theta_deg, phi_deg : array_like
        Local zenith [deg] (90 = horizon of the mechanically tilted frame)
        and azimuth [deg], from :func:`local_angles`. Broadcast.
    params : PatternParams
        Beam parameters.
    etilt_deg : array_like
        Electrical downtilt [deg], positive below the horizon: the AF's
        vertical cut peaks at ``theta = 90 + etilt``.

    Returns
    -------
    ndarray
        Gain [dBi]. NaN in, NaN out.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.3-1 (element, pattern shape and limits),
    7.3 (array of identical elements: element pattern x array factor, DFT
    tilt weights).
    """
    g_max, phi3, theta3, a_max, sla_v, scan_h, scan_v = (float(v) for v in params)
    t = np.asarray(theta_deg, dtype=float)
    p = np.asarray(phi_deg, dtype=float)
    u = t - 90.0
    v = u - np.asarray(etilt_deg, dtype=float)
    v_s = np.clip(v, -scan_v, scan_v)
    p_s = np.clip(p, -scan_h, scan_h)
    l_el = np.minimum(
        np.minimum(12.0 * (u / _E["theta_3db_deg"]) ** 2, _E["sla_v_db"])
        + np.minimum(12.0 * (p / _E["phi_3db_deg"]) ** 2, _E["a_max_db"]),
        _E["a_max_db"],
    )
    l_af = np.minimum(12.0 * ((v - v_s) / theta3) ** 2, sla_v) + np.minimum(
        12.0 * ((p - p_s) / phi3) ** 2, a_max
    )
    return g_max - np.minimum(l_el + l_af, a_max)


def column_gain(
    theta_deg: ArrayLike,
    phi_deg: ArrayLike,
    n: int = 10,
    spacing_lambda: float = 0.5,
    etilt_deg: float = 12.0,
) -> np.ndarray:
    """Gain of a vertical column of Table 7.3-1 elements with DFT tilt weights [dBi].

    ``G = G_E(theta, phi) + 10 log10 |sum_m w_m exp(j k (m-1) d_V cos theta)|^2``
    with ``w_m = exp(-j k (m-1) d_V cos theta_etilt) / sqrt(n)`` and
    ``theta_etilt = 90 + etilt_deg`` (TR 38.901 7.3 tilt weights), so the peak
    is ``8 + 10 log10(n)`` dBi towards ``theta = theta_etilt``.

    Parameters
    ----------
    theta_deg, phi_deg : array_like
        Local zenith and azimuth [deg].
    n : int
        Elements in the column (M).
    spacing_lambda : float
        Vertical element spacing d_V [wavelengths].
    etilt_deg : float
        Electrical downtilt below the horizon [deg]; the Table 7.8-1
        calibration value 102 deg zenith is ``etilt_deg = 12``.

    Returns
    -------
    ndarray
        Gain [dBi].

    Notes
    -----
    Defaults are the TR 38.901 Table 7.8-1 large-scale calibration BS
    antenna for UMa/UMi: (M, N, P) = (10, 1, 1), the 10 elements of the
    column on one TXRU with electrical downtilt 102 deg. The vertical spacing
    d_V = 0.5 lambda is not in the table text we could verify; it is the
    value used by independent calibration implementations (QuaDRiGa's TR
    38.901 7.8.1 calibration script: 10 elements, 0.5 lambda, 12 deg).

    References
    ----------
    3GPP TR 38.901 V17.0.0, 7.3 (array factor, DFT weights), Table 7.3-1,
    Table 7.8-1.
    """
    check_range("etilt_deg", etilt_deg, -90.0, 90.0, unit="deg (below horizon)")
    check_range("n", n, 1, 1024)
    theta = np.radians(np.asarray(theta_deg, dtype=float))
    t_e = np.radians(90.0 + float(etilt_deg))
    m = np.arange(int(n), dtype=float)
    k_d = 2.0 * np.pi * float(spacing_lambda)
    phase = k_d * m * (np.cos(theta)[..., None] - np.cos(t_e))
    af = np.abs(np.exp(1j * phase).sum(axis=-1)) ** 2 / n
    with np.errstate(divide="ignore"):
        af_db = 10.0 * np.log10(af)
    return element_pattern(theta_deg, phi_deg) + af_db


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class AntennaProfile:
    """A base-station antenna product class and its three beams.

    Attributes
    ----------
    name : str
        Registry key.
    n_tx : int
        Transmit chains (TXRUs).
    rows, cols, pols : int
        Elements per column (M), columns (N), polarisations (P), TR 38.901
        7.3 notation; ``rows * cols * pols`` elements in all.
    spacing_v_lambda, spacing_h_lambda : float
        Element spacing [wavelengths].
    ssb, traffic, average : PatternParams
        The three beams of the array model, *before* the implementation loss
        (``g_max_dbi`` = element + array gain). Use :meth:`pattern_params`
        (or :attr:`max_gain_dbi`) for the beams as radiated.
    etilt_deg : float
        Typical electrical downtilt of the product [deg] (informative; the
        sector's own tilt is passed to :func:`sector_gain`).
    description, source : str
        What it is, and where every number comes from.
    implementation_loss_db : float
        Ohmic / feed / implementation loss of the antenna against the model's
        gain [dB], >= 0: subtracted from ``g_max_dbi`` of all three beams as
        :meth:`pattern_params`, :func:`sector_gain` and the prediction engine
        see them (the pattern shape is unchanged). 0 for a profile whose gain
        is already a datasheet gain.
    max_gain_dbi : dict of str to float
        Peak gain of each beam as radiated (``g_max_dbi -
        implementation_loss_db``) [dBi].
    """

    name: str
    n_tx: int
    rows: int
    cols: int
    pols: int
    spacing_v_lambda: float
    spacing_h_lambda: float
    ssb: PatternParams
    traffic: PatternParams
    average: PatternParams
    etilt_deg: float
    description: str
    source: str
    implementation_loss_db: float = 0.0
    max_gain_dbi: dict[str, float] = field(init=False, repr=False, compare=False)
    _radiated: dict[str, PatternParams] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_range("implementation_loss_db", self.implementation_loss_db, 0.0, 30.0, unit="dB")
        loss = float(self.implementation_loss_db)
        rad = {}
        for b in BEAMS:
            prm = getattr(self, b)
            rad[b] = prm._replace(g_max_dbi=round(float(prm.g_max_dbi) - loss, 9))
        object.__setattr__(self, "_radiated", rad)
        object.__setattr__(self, "max_gain_dbi", {b: float(rad[b].g_max_dbi) for b in BEAMS})

    @property
    def n_elements(self) -> int:
        """Antenna elements in all."""
        return self.rows * self.cols * self.pols

    @property
    def scan_h_deg(self) -> float:
        """Horizontal scan half-range of the traffic beam [deg]."""
        return self.traffic.scan_h_deg

    @property
    def scan_v_deg(self) -> float:
        """Vertical scan half-range of the traffic beam [deg]."""
        return self.traffic.scan_v_deg

    def pattern_params(self, beam: str) -> PatternParams:
        """The :class:`PatternParams` of ``beam`` ("ssb", "traffic", "average") as
        radiated: the model beam with ``g_max_dbi`` less ``implementation_loss_db``."""
        return self._radiated[check_choice("beam", beam, BEAMS)]


_ELEMENT_BEAM = PatternParams(
    _E["g_max_dbi"],
    _E["phi_3db_deg"],
    _E["theta_3db_deg"],
    _E["a_max_db"],
    _E["sla_v_db"],
    180.0,
    180.0,
)


def _massive_mimo(
    name: str,
    n_tx: int,
    rows: int,
    cols: int,
    scan_h: float,
    scan_v: float,
    ssb_beams_h: int,
    etilt: float,
    description: str,
    implementation_loss_db: float = AAU_IMPLEMENTATION_LOSS_DB,
) -> AntennaProfile:
    """A dual-polarised panel of rows x cols x 2 Table 7.3-1 elements.

    traffic: g_max = 8 + 10 log10(rows*cols) (array gain of one polarisation,
    TR 38.901 7.3 panel of identical elements), beam HPBW of the full aperture
    (d_H = 0.5, d_V = 0.7 lambda), steerable within +-scan_h / +-scan_v.
    ssb: the envelope of ``ssb_beams_h`` horizontally swept SSB beams, one
    vertical layer (widened to twice the aperture's vertical HPBW, -3 dB, when
    the panel has vertical TXRU freedom, to cover the vertical extent of the
    cell), less the mean scalloping loss between adjacent beams (uniform over
    half the beam spacing).
    average: the traffic beam's power pattern averaged over steering
    directions uniform within +-scan_h / +-scan_v (what a user of another cell
    receives from this cell's traffic beams over time). Per plane the mean
    array-factor power inside the range is ``f = min(1, k HPBW / (2 scan))``
    (:func:`steering_average_factor`, ``k`` = :data:`PARABOLA_INTEGRAL` =
    1.0663; ``f = 1`` for a fixed feed), so the average beam is the traffic
    beam (same beamwidths, same scan ranges) with peak gain::

        g_avg = 8 + 10 log10(rows*cols) + 10 log10(f_h) + 10 log10(f_v)

    i.e. inside the scan range the element pattern plus the mean array gain,
    beyond it the array factor rolls off as the traffic beam's does (the
    exact average decays more gradually at the range edge: a modelling
    simplification of the same 38.901 parabola).
    All three beams lose ``implementation_loss_db`` (ohmic / feed loss
    against the datasheet gain, :data:`AAU_IMPLEMENTATION_LOSS_DB`) as radiated.
    """
    dv, dh = 0.7, 0.5
    g_arr = 10.0 * np.log10(rows * cols)
    hpbw_h = _ula_hpbw_deg(cols, dh)
    hpbw_v = _ula_hpbw_deg(rows, dv)
    traffic = PatternParams(
        _r(_E["g_max_dbi"] + g_arr), _r(hpbw_h), _r(hpbw_v), 30.0, 30.0, scan_h, scan_v
    )
    # average over the steering range: the traffic beam's (rounded) beamwidths
    f_h = steering_average_factor(traffic.phi_3db_deg, scan_h)
    f_v = steering_average_factor(traffic.theta_3db_deg, scan_v)
    average = traffic._replace(
        g_max_dbi=_r(_E["g_max_dbi"] + g_arr + 10.0 * np.log10(f_h) + 10.0 * np.log10(f_v))
    )
    spacing = 2.0 * scan_h / ssb_beams_h  # beams evenly over +-scan_h
    ssb_hpbw_h = max(hpbw_h, spacing)
    scallop = 12.0 * (spacing / 2.0) ** 2 / 3.0 / ssb_hpbw_h**2  # mean over [0, spacing/2]
    ssb_scan = scan_h - spacing / 2.0  # centre of the outermost SSB beam
    # vertical: with vertical TXRU freedom (scan_v > 0) the SSB beam is widened x2 (-3 dB)
    # to cover the cell's vertical extent; a fixed vertical feed keeps the traffic beam's.
    widen = 2.0 if scan_v > 0 else 1.0
    ssb = PatternParams(
        _r(_E["g_max_dbi"] + g_arr - 10.0 * np.log10(widen) - scallop), _r(ssb_hpbw_h),
        _r(widen * hpbw_v), 30.0, 30.0, _r(ssb_scan), 0.0,
    )  # fmt: skip
    return AntennaProfile(
        name=name,
        n_tx=n_tx,
        rows=rows,
        cols=cols,
        pols=2,
        spacing_v_lambda=dv,
        spacing_h_lambda=dh,
        ssb=ssb,
        traffic=traffic,
        average=average,
        etilt_deg=etilt,
        description=description,
        source=(
            "Element: TR 38.901 Table 7.3-1. Traffic beam = element + 10log10(elements per "
            "polarisation) within the scan range (DESIGN.md, TR 38.901 7.3); beam HPBW of "
            "a uniform array, d_H 0.5, d_V 0.7 lambda (vendor-neutral assumption); SSB "
            "envelope: swept SSB beams (L_max = 8 in FR1 3-6 GHz, TS 38.213 4.1), vertical "
            "beam widened x2 (-3 dB) if it can be steered, mean scalloping removed; "
            "average = traffic beam's power pattern averaged over steering directions "
            "uniform in the scan range (mean array gain 10log10(k HPBW / 2 scan) per "
            "steered plane, k = 1.0663, TR 38.901 7.3 parabola). "
            "AAU configurations (64T64R/32T32R/8T8R: "
            "rfessentials.com, lightreading.com) [industry]. Implementation (ohmic/feed) "
            f"loss {implementation_loss_db:g} dB on every beam: 64T64R model peak "
            "8 + 10log10(96) = 27.8 dBi vs ~25 dBi datasheet-class gain at 3.5 GHz "
            "(5g6gacademy.com/learn/5g-link-budget 25 dBi; 5ghub.us ~24 dBi) [industry - "
            "verify]; the same loss for 32T32R/8T8R (same AAU technology); no ITU-R "
            "(M.2101 / WP5D 3.3-3.8 GHz AAS) ohmic-loss value could be retrieved."
        ),
        implementation_loss_db=implementation_loss_db,
    )


def _passive_4t4r() -> AntennaProfile:
    # A 700 MHz 4T4R RRU on a passive cross-polar panel: 65 deg horizontal HPBW and
    # ~16 dBi (700 MHz "4T4R RRU with passive antenna", industry practice [recall - verify];
    # 15-17 dBi is the usual range of 700-900 MHz 65 deg panels). Horizontally the element
    # (65 deg, scan_h 180 = no AF roll-off); vertically a fixed column beam: from
    # G = 41253 * eta / (HPBW_h * HPBW_v) with eta ~ 0.55, 16 dBi and 65 deg give a
    # vertical HPBW of ~ 14 deg; SLA_V 20 dB of a passive column.
    beam = PatternParams(16.0, 65.0, 14.0, 30.0, 20.0, 180.0, 0.0)
    return AntennaProfile(
        name="4t4r",
        n_tx=4,
        rows=8,
        cols=2,
        pols=2,
        spacing_v_lambda=0.8,
        spacing_h_lambda=0.5,
        ssb=beam,
        traffic=beam,
        average=beam,
        etilt_deg=3.0,
        description="700 MHz 4T4R RRU with a passive 65 deg, 16 dBi cross-polar panel",
        source=(
            "700 MHz 4T4R RRU with passive antenna, industry practice [recall - verify]; "
            "16 dBi / 65 deg H / 14 deg V fixed beam, SLA_V 20 dB: typical sub-1 GHz panel "
            "(vendor-neutral); one beam serves SSB, traffic and interference; 16 dBi is "
            "already a datasheet gain (implementation loss 0)."
        ),
        implementation_loss_db=0.0,
    )


def _calibration() -> AntennaProfile:
    n, dv, etilt = 10, 0.5, 12.0
    hpbw_v = _ula_hpbw_deg(n, dv)
    beam = PatternParams(
        _r(_E["g_max_dbi"] + 10.0 * np.log10(n)), _E["phi_3db_deg"], _r(hpbw_v), 30.0, 30.0,
        180.0, 0.0,
    )  # fmt: skip
    return AntennaProfile(
        name="calibration",
        n_tx=1,
        rows=n,
        cols=1,
        pols=1,
        spacing_v_lambda=dv,
        spacing_h_lambda=0.5,
        ssb=beam,
        traffic=beam,
        average=beam,
        etilt_deg=etilt,
        description=(
            "TR 38.901 Table 7.8-1 calibration BS antenna: 10-element column, one TXRU, "
            "electrical tilt 102 deg (12 deg below horizon). Parametric approximation of "
            "column_gain(); use column_gain() for the exact array factor."
        ),
        source=(
            "TR 38.901 V17.0.0 Table 7.8-1 ((M,N,P)=(10,1,1), tilt 102 deg); d_V = 0.5 lambda as "
            "in QuaDRiGa's 7.8.1 calibration; g_max 8 + 10log10(10) = 18 dBi, AF vertical HPBW "
            "of a 10-element 0.5-lambda array, no horizontal AF; main lobe within 0.5 dB of "
            "column_gain()."
        ),
    )


OMNI_GAIN_DBI = 4.0
"""Gain of the ``"omni"`` profile [dBi]: the default private-network radio unit
(``nrplan.industry.profiles.RadioUnit``, a ceiling small cell, 4 dBi)."""


def _omni() -> AntennaProfile:
    # Flat in azimuth and elevation: a_max = 0 caps every attenuation term at 0 dB,
    # so parametric_pattern (and the engine's kernel) return g_max exactly.
    beam = PatternParams(OMNI_GAIN_DBI, 65.0, 65.0, 0.0, 0.0, 180.0, 180.0)
    return AntennaProfile(
        name="omni",
        n_tx=4,
        rows=1,
        cols=1,
        pols=1,
        spacing_v_lambda=0.5,
        spacing_h_lambda=0.5,
        ssb=beam,
        traffic=beam,
        average=beam,
        etilt_deg=0.0,
        description=(
            "Omnidirectional private-network radio unit, flat 4 dBi in azimuth and "
            "elevation (nrplan.industry units); other gains: add (gain - 4) dB to the power"
        ),
        source=(
            "nrplan assumption, as nrplan.industry.profiles.RadioUnit: constant gain toward "
            "the service area (ceiling small cell 4T4R, 4 dBi)"
        ),
    )


ANTENNA_PROFILES: dict[str, AntennaProfile] = {
    "64t64r": _massive_mimo(
        "64t64r", 64, 12, 8, 60.0, 12.0, 8, 6.0,
        "64T64R massive-MIMO AAU, 8 columns x 12 rows x 2 polarisations = 192 elements",
    ),
    "32t32r": _massive_mimo(
        "32t32r", 32, 12, 8, 60.0, 6.0, 8, 6.0,
        "32T32R AAU, 8 columns x 12 rows x 2 polarisations = 192 elements, "
        "2 vertical TXRU rows (smaller vertical scan)",
    ),
    "8t8r": _massive_mimo(
        "8t8r", 8, 8, 4, 60.0, 0.0, 4, 6.0,
        "8T8R, 4 columns x 8 rows x 2 polarisations, horizontal steering only",
    ),
    "4t4r": _passive_4t4r(),
    "element": AntennaProfile(
        name="element",
        n_tx=1,
        rows=1,
        cols=1,
        pols=1,
        spacing_v_lambda=0.5,
        spacing_h_lambda=0.5,
        ssb=_ELEMENT_BEAM,
        traffic=_ELEMENT_BEAM,
        average=_ELEMENT_BEAM,
        etilt_deg=0.0,
        description="Single TR 38.901 Table 7.3-1 element (8 dBi, 65 deg)",
        source="TR 38.901 V17.0.0 Table 7.3-1",
    ),
    "calibration": _calibration(),
    "omni": _omni(),
}  # fmt: skip


def get_antenna(name: str | AntennaProfile) -> AntennaProfile:
    """Antenna profile by name (error lists the valid ones)."""
    if isinstance(name, AntennaProfile):
        return name
    return ANTENNA_PROFILES[check_choice("antenna", name, ANTENNA_PROFILES)]


def sector_gain(
    profile: str | AntennaProfile,
    theta_deg: ArrayLike,
    phi_deg: ArrayLike,
    beam: str = "traffic",
    etilt_deg: ArrayLike = 0.0,
) -> np.ndarray:
    """Gain of a sector antenna towards local angles [dBi], as radiated.

    ``parametric_pattern(theta, phi, profile.pattern_params(beam), etilt_deg)``:
    the beam's pattern with the profile's ``implementation_loss_db`` taken off
    its peak gain (the same gain the prediction engine uses).

    Parameters
    ----------
    profile : str or AntennaProfile
        Profile name from :data:`ANTENNA_PROFILES` or a profile.
    theta_deg, phi_deg : array_like
        Local zenith and azimuth [deg] (:func:`local_angles`).
    beam : {"ssb", "traffic", "average"}
        ``"ssb"``: broadcast-beam envelope, for SS-RSRP coverage;
        ``"traffic"``: serving beam steered at the user, for the wanted
        signal; ``"average"``: the traffic beam's power pattern averaged
        over its steering range, seen by other cells' users, for
        interference.
    etilt_deg : array_like
        Electrical downtilt [deg], positive below the horizon.

    Returns
    -------
    ndarray
        Gain [dBi].

    References
    ----------
    3GPP TR 38.901 V17.0.0, 7.3, Table 7.3-1.
    """
    p = get_antenna(profile)
    return parametric_pattern(theta_deg, phi_deg, p.pattern_params(beam), etilt_deg)
