"""Base-station power and energy: a load-dependent model with energy-saving features.

Each radio unit (AAU or RRU) follows the EARTH linear model

    P(load) = P0 + Δp · P_out · load,        0 <= load <= 1,

with ``P0`` the load-independent power [W], ``P_out`` the maximum RF output
[W] and ``Δp`` the load slope, so ``P(1) = P_max``. A site adds a baseband
unit (BBU, load-independent) and multiplies the sum by an overhead factor for
DC-DC conversion, rectifier (mains supply) and cooling losses.

Energy-saving features act on a 24-hour traffic profile (load per hour):

``symbol``
    symbol shutdown: in empty symbols (share ``1 - load`` of the time) a share
    ``symbol_share`` of ``P0`` is switched off:
    ``P0 -> P0 · (1 - symbol_share · (1 - load))``.
``channel``
    channel (MIMO) shutdown: in hours with ``load < channel_load`` half the
    transceiver chains are off, saving a share ``channel_share`` of ``P0``.
``carrier``
    carrier shutdown: on a site with both a capacity layer (64T64R, 32T32R,
    8T8R) and a coverage layer (700 MHz 4T4R), the capacity carriers are shut
    in hours when the coverage layer can absorb their traffic,
    ``load · (1 + carrier_capacity_ratio) <= carrier_absorb_load``; a shut
    radio draws ``carrier_off_share · P0`` and the coverage radios carry
    ``load · (1 + carrier_capacity_ratio)``. No effect on single-layer sites.
``deep-sleep``
    in hours with ``load <= deep_sleep_load`` (or in an explicit window
    ``deep_sleep_hours``) every radio sleeps: it carries no traffic and draws
    ``(1 - deep_sleep_saving)`` times what it would draw idle (load 0) with
    the other active features. The little traffic of those hours is assumed
    carried by the neighbouring/overlay layer; it is still counted in the GB
    carried.

The features act on different parts of the power, multiplicatively, over
the hours each applies, so each keeps its own effect whatever else is on:
symbol shutdown and channel shutdown scale the load-independent part ``P0``
(in the empty symbols, in the low-load hours), carrier shutdown replaces a
radio's power in the hours its carrier is off, and deep sleep scales what is
left in the sleep hours. Alone, deep sleep gives ``(1 - d) P0``; with symbol
and channel shutdown, ``(1 - d)(1 - s)(1 - c) P0`` in a sleep hour whose load
is below the channel threshold.

Savings per feature are *marginal*, accumulated in the order of
:data:`FEATURES` (each feature's saving is measured with the earlier ones
already on), so they add up to the total saving. The sourced figures: symbol
shutdown >= 20 %, deep sleep 60-80 % while asleep, symbol shutdown + deep
sleep ~30 % over a full day (China Telecom 2020); Luoyang Unicom/ZTE's sleep
window 21:00-09:00 cut daily base-station energy by 31-37 %.

Notes
-----
Valid for load in [0, 1]; defaults are calibrated to the CCSA per-site
figures (idle 2.2-2.3 kW, full 3.7-3.9 kW for a 3-sector 64T64R site,
equipment only). The BBU is load-independent and never sleeps.

References
----------
G. Auer et al., "How much energy is needed to run a wireless network?", IEEE
Wireless Commun. 18(5), 2011 (EARTH power model, Table 2).
CCSA per-site power, Huawei 5G Power white paper, China Telecom and Luoyang
Unicom energy-saving results (``docs/sources.md``); all values with sources in
the registry :mod:`nrplan.defaults`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from nrplan.econ.defaults import DEFAULTS, check_plausible, value
from nrplan.errors import NrplanInputError, check_choice, check_range, parse_float_list

__all__ = [
    "COVERAGE_PROFILES",
    "DEFAULT_TRAFFIC_PROFILE",
    "FEATURES",
    "HOURS_PER_DAY",
    "PROFILES",
    "RADIO_POWER",
    "RadioPower",
    "SavingParams",
    "SiteEnergy",
    "check_sleep_window",
    "gb_per_day",
    "network_energy_kwh_per_year",
    "parse_features",
    "parse_traffic_profile",
    "radio_power_w",
    "site_energy",
    "site_hourly_power_w",
    "sleep_mask",
    "validate_traffic_profile",
]

HOURS_PER_DAY = 24
DAYS_PER_YEAR = 365

FEATURES = ("symbol", "channel", "carrier", "deep-sleep")
"""Energy-saving features, in the order their marginal savings are counted."""

PROFILES = ("64t64r", "32t32r", "8t8r", "4t4r")
"""Radio profiles (same names as ``nrplan.radio.antenna.ANTENNA_PROFILES``)."""

COVERAGE_PROFILES = frozenset({"4t4r"})
"""Profiles forming the coverage layer (700 MHz) that can absorb capacity-layer traffic."""


@dataclass(frozen=True)
class RadioPower:
    """EARTH-style power model of one radio unit (AAU or RRU with its antenna).

    Attributes
    ----------
    profile : str
        Radio profile name.
    p0_w : float
        Load-independent power ``P0`` [W].
    p_max_w : float
        Input power at full load [W].
    p_out_w : float
        Maximum RF output power ``P_out`` [W].
    """

    profile: str
    p0_w: float
    p_max_w: float
    p_out_w: float

    def __post_init__(self) -> None:
        check_range("p0_w", self.p0_w, 0.0, unit="W")
        check_range("p_out_w", self.p_out_w, 0.0, lo_open=True, unit="W")
        check_range("p_max_w", self.p_max_w, self.p0_w, unit="W")

    @property
    def delta_p(self) -> float:
        """Load slope ``Δp = (P_max - P0) / P_out`` [1]."""
        return (self.p_max_w - self.p0_w) / self.p_out_w


RADIO_POWER: dict[str, RadioPower] = {
    "64t64r": RadioPower("64t64r", value("p0_64t64r"), value("pmax_64t64r"), value("pout_64t64r")),
    "32t32r": RadioPower("32t32r", value("p0_32t32r"), value("pmax_32t32r"), value("pout_32t32r")),
    "8t8r": RadioPower("8t8r", value("p0_8t8r"), value("pmax_8t8r"), value("pout_8t8r")),
    "4t4r": RadioPower(
        "4t4r", value("p0_4t4r_700"), value("pmax_4t4r_700"), value("pout_4t4r_700")
    ),
}
"""Default radio power models; sources in :mod:`nrplan.econ.defaults`."""

DEFAULT_TRAFFIC_PROFILE: np.ndarray = np.asarray(DEFAULTS["traffic_profile"].value, dtype=float)
DEFAULT_TRAFFIC_PROFILE.setflags(write=False)


@dataclass(frozen=True)
class SavingParams:
    """Parameters of the energy-saving features (see the module docstring).

    All are shares or loads in [0, 1] except ``carrier_capacity_ratio`` (>= 0).
    Defaults and their sources: :mod:`nrplan.econ.defaults`.
    """

    symbol_share: float = value("symbol_shutdown_share")
    channel_load: float = value("channel_shutdown_load")
    channel_share: float = value("channel_shutdown_share")
    carrier_capacity_ratio: float = value("carrier_capacity_ratio")
    carrier_absorb_load: float = value("carrier_absorb_load")
    carrier_off_share: float = value("carrier_off_share")
    deep_sleep_load: float = value("deep_sleep_load")
    deep_sleep_saving: float = value("deep_sleep_saving")
    deep_sleep_hours: tuple[int, ...] | None = None
    """Explicit sleep window (hours 0..23, e.g. Luoyang's 21:00-09:00); replaces
    the ``deep_sleep_load`` rule when given."""

    def __post_init__(self) -> None:
        if self.deep_sleep_hours is not None:
            hours = tuple(int(h) for h in self.deep_sleep_hours)
            check_range("deep_sleep_hours", hours, 0, HOURS_PER_DAY - 1)
            object.__setattr__(self, "deep_sleep_hours", hours)
        for name in (
            "symbol_share",
            "channel_load",
            "channel_share",
            "carrier_absorb_load",
            "carrier_off_share",
            "deep_sleep_load",
            "deep_sleep_saving",
        ):
            check_range(name, getattr(self, name), 0.0, 1.0)
        check_range("carrier_capacity_ratio", self.carrier_capacity_ratio, 0.0)


def validate_traffic_profile(profile: Sequence[float] | np.ndarray | None) -> np.ndarray:
    """Return a 24-hour load profile as a float array, or raise.

    Parameters
    ----------
    profile : sequence of float or None
        Load per hour 00..23 in [0, 1]; None gives :data:`DEFAULT_TRAFFIC_PROFILE`.

    Raises
    ------
    NrplanInputError
        Not exactly 24 values, a NaN, or a value outside [0, 1].
    """
    if profile is None:
        return DEFAULT_TRAFFIC_PROFILE.copy()
    arr = np.asarray(profile, dtype=float).ravel()
    if arr.size != HOURS_PER_DAY:
        raise NrplanInputError(
            "traffic_profile", f"{arr.size} values", "exactly 24 hourly loads in [0, 1]"
        )
    if np.isnan(arr).any():
        raise NrplanInputError("traffic_profile", "NaN", "24 hourly loads in [0, 1], no NaN")
    check_range("traffic_profile", arr, 0.0, 1.0)
    return arr


def parse_traffic_profile(text: str) -> np.ndarray:
    """Parse ``"0.1,0.1,...,0.3"`` (24 comma-separated loads) into an array."""
    values = parse_float_list("traffic_profile", text.replace(";", ","), "24 loads 0.2,0.1,...")
    return validate_traffic_profile(values)


def parse_features(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """Parse feature names (``"symbol,deep-sleep"``, ``"all"``, ``"none"``).

    Returns the features in the canonical order of :data:`FEATURES`.
    """
    if text is None:
        return FEATURES
    items = text.split(",") if isinstance(text, str) else list(text)
    names = {s.strip().lower().replace("_", "-") for s in items if s and s.strip()}
    if names == {"all"}:
        return FEATURES
    if not names or names == {"none"}:
        return ()
    chosen = {check_choice("features", n, FEATURES) for n in names}
    return tuple(f for f in FEATURES if f in chosen)


def _radio_mix(radios: str | Mapping[str, float], sectors: float) -> dict[str, float]:
    if isinstance(radios, str):
        radios = {radios: sectors}
    mix: dict[str, float] = {}
    for name, count in radios.items():
        key = check_choice("profile", name, RADIO_POWER)
        check_range(f"radios[{key}]", count, 0.0)
        mix[key] = mix.get(key, 0.0) + float(count)
    return mix


#: Largest share of the day's traffic an explicit deep-sleep window may sleep through.
MAX_SLEEP_TRAFFIC_SHARE = 0.5


def check_sleep_window(hours: Iterable[int], profile: Sequence[float] | np.ndarray | None) -> None:
    """Refuse a deep-sleep window that sleeps through the busy day of ``profile``.

    A window may not contain the profile's busy hour (its highest load) nor
    hold more than :data:`MAX_SLEEP_TRAFFIC_SHARE` of the day's traffic: radios
    in deep sleep carry nothing. Luoyang's night window 21:00-09:00 passes on
    the default profile (29 % of the traffic, busy hour 20:00); 09:00-21:00
    does not. The error names the busy hours (load above the daily mean) in
    the window.
    """
    lam = validate_traffic_profile(profile)
    hrs = sorted({int(h) % HOURS_PER_DAY for h in hours})
    if not hrs or lam.sum() <= 0:
        return
    share = float(lam[hrs].sum() / lam.sum())
    peak = int(np.argmax(lam))
    if peak in hrs or share > MAX_SLEEP_TRAFFIC_SHARE:
        busy = [h for h in hrs if lam[h] > lam.mean()] or [peak]
        raise NrplanInputError(
            "deep_sleep_hours",
            f"{len(hrs)} h covering busy hours {_hours_text(busy)}",
            f"a window without the busy hour {peak:02d}:00 and with at most "
            f"{MAX_SLEEP_TRAFFIC_SHARE:.0%} of the day's traffic (this one: {share:.0%}; "
            f"deep sleep is for quiet hours, e.g. 21-9 or the default: load <= "
            f"{value('deep_sleep_load'):g})",
        )


def _hours_text(hours: Sequence[int]) -> str:
    """``[9, 10, 11, 15]`` -> ``"09-11h, 15h"``."""
    runs: list[list[int]] = []
    for h in hours:
        if runs and h == runs[-1][-1] + 1:
            runs[-1].append(h)
        else:
            runs.append([h])
    return ", ".join(f"{r[0]:02d}-{r[-1]:02d}h" if len(r) > 1 else f"{r[0]:02d}h" for r in runs)


def sleep_mask(load: np.ndarray, params: SavingParams | None = None) -> np.ndarray:
    """Hours (or samples) in deep sleep: ``load <= deep_sleep_load``, or the window.

    With ``params.deep_sleep_hours`` set, ``load`` must be a 24-hour profile and
    the mask is True in the listed hours.
    """
    p = params or SavingParams()
    lam = np.asarray(load, dtype=float)
    if p.deep_sleep_hours is None:
        return lam <= p.deep_sleep_load
    if lam.shape != (HOURS_PER_DAY,):
        raise NrplanInputError("load", lam.shape, "a 24-hour profile when deep_sleep_hours is set")
    mask = np.zeros(HOURS_PER_DAY, dtype=bool)
    mask[list(p.deep_sleep_hours)] = True
    return mask


def radio_power_w(
    profile: str,
    load: np.ndarray | float,
    features: Iterable[str] = (),
    *,
    params: SavingParams | None = None,
    carrier_off: np.ndarray | bool = False,
    radio: RadioPower | None = None,
) -> np.ndarray:
    """Input power of one radio unit at a given load, with energy-saving features.

    Parameters
    ----------
    profile : str
        Radio profile, one of :data:`PROFILES`.
    load : array_like
        Load (share of occupied resources) [0..1]; NaN in, NaN out.
    features : iterable of str
        Active features among :data:`FEATURES`.
    params : SavingParams, optional
        Feature parameters (defaults if None).
    carrier_off : array_like of bool
        Hours in which this radio's carrier is shut (``"carrier"`` feature).
    radio : RadioPower, optional
        Override of the profile's power model.

    Returns
    -------
    numpy.ndarray
        Input power [W], shape of ``load``.

    References
    ----------
    EARTH power model (Auer et al., IEEE Wireless Commun. 2011); China Telecom
    and Luoyang Unicom energy-saving results (``docs/sources.md``).
    """
    p = params or SavingParams()
    rp = radio or RADIO_POWER[check_choice("profile", profile, RADIO_POWER)]
    feats = set(features)
    lam = np.asarray(load, dtype=float)
    check_range("load", lam, 0.0, 1.0, allow_nan=True)  # hourly grids: NaN in, NaN out
    p0 = np.full(lam.shape, rp.p0_w)
    if "channel" in feats:
        p0 = p0 * np.where(lam < p.channel_load, 1.0 - p.channel_share, 1.0)
    if "symbol" in feats:
        p0 = p0 * (1.0 - p.symbol_share * (1.0 - lam))
    power = p0 + rp.delta_p * rp.p_out_w * lam
    if "carrier" in feats:
        power = np.where(carrier_off, p.carrier_off_share * rp.p0_w, power)
    if "deep-sleep" in feats:
        asleep = sleep_mask(lam, p)
        # asleep: no traffic; (1 - d) x the idle power left by the other features
        idle = np.full(lam.shape, rp.p0_w)
        if "channel" in feats and p.channel_load > 0.0:  # load 0 is below the threshold
            idle = idle * (1.0 - p.channel_share)
        if "symbol" in feats:
            idle = idle * (1.0 - p.symbol_share)
        if "carrier" in feats:
            idle = np.where(carrier_off, p.carrier_off_share * rp.p0_w, idle)
        power = np.where(asleep, (1.0 - p.deep_sleep_saving) * idle, power)
    return np.where(np.isnan(lam), np.nan, power)


def site_hourly_power_w(
    radios: str | Mapping[str, float],
    traffic_profile: Sequence[float] | np.ndarray | None = None,
    features: Iterable[str] = FEATURES,
    *,
    sectors: float = 3,
    params: SavingParams | None = None,
    bbu_w: float | None = None,
    overhead: float | None = None,
) -> np.ndarray:
    """Site input power for each hour of the day, overhead included.

    Parameters
    ----------
    radios : str or mapping
        One profile name (then ``sectors`` radios of it) or ``{profile: count}``;
        counts may be fractional (an average site of a network).
    traffic_profile : sequence of 24 float, optional
        Load per hour [0..1]; default :data:`DEFAULT_TRAFFIC_PROFILE`.
    features : iterable of str
        Energy-saving features (default: all of :data:`FEATURES`).
    sectors : float
        Radios per site when ``radios`` is a name.
    params : SavingParams, optional
    bbu_w : float, optional
        Baseband power [W/site] (default ``bbu_power``).
    overhead : float, optional
        Power overhead factor >= 1 for rectifier/DC/cooling (default ``overhead_factor``).

    Returns
    -------
    numpy.ndarray
        Site power [W] for hours 00..23 (shape (24,)).
    """
    lam = validate_traffic_profile(traffic_profile)
    p = params or SavingParams()
    feats = tuple(parse_features(list(features)))
    mix = _radio_mix(radios, sectors)
    bbu = value("bbu_power") if bbu_w is None else float(bbu_w)
    ovh = value("overhead_factor") if overhead is None else float(overhead)
    check_range("bbu_w", bbu, 0.0, unit="W")
    check_range("overhead", ovh, 1.0)

    has_cov = any(n > 0 and k in COVERAGE_PROFILES for k, n in mix.items())
    has_cap = any(n > 0 and k not in COVERAGE_PROFILES for k, n in mix.items())
    shifted = lam * (1.0 + p.carrier_capacity_ratio)
    carrier_off = (
        ("carrier" in feats) & has_cov & has_cap & (shifted <= p.carrier_absorb_load)
    ) & np.ones(lam.shape, dtype=bool)

    total = np.full(lam.shape, bbu)
    for name, count in mix.items():
        if name in COVERAGE_PROFILES:
            load = np.where(carrier_off, np.minimum(shifted, 1.0), lam)
            total = total + count * radio_power_w(name, load, feats, params=p)
        else:
            total = total + count * radio_power_w(
                name, lam, feats, params=p, carrier_off=carrier_off
            )
    return ovh * total


def gb_per_day(
    traffic_profile: Sequence[float] | np.ndarray | None,
    capacity_mbps: float,
    sectors: float = 3,
) -> float:
    """Data carried by a site per day [GB] (1 GB = 1e9 bytes).

    ``sum_h load_h · capacity_mbps · sectors · 3600 s / 8 / 1000``.

    Parameters
    ----------
    traffic_profile : sequence of 24 float or None
        Load per hour [0..1].
    capacity_mbps : float
        Sector throughput at full load [Mbit/s].
    sectors : float
        Sectors per site.
    """
    lam = validate_traffic_profile(traffic_profile)
    check_range("capacity_mbps", capacity_mbps, 0.0, unit="Mbit/s")
    check_range("sectors", sectors, 0.0)
    return float(lam.sum() * capacity_mbps * sectors * 3600.0 / 8.0 / 1000.0)


@dataclass(frozen=True)
class SiteEnergy:
    """Energy of one site over a day and a year, with and without features.

    Powers in W, energies in kWh, cost in CNY, CO2 in kg. ``*_base`` values are
    without any energy-saving feature.
    """

    radios: dict[str, float]
    features: tuple[str, ...]
    p_idle_w: float
    p_full_w: float
    p_idle_equipment_w: float
    p_full_equipment_w: float
    kwh_day_base: float
    kwh_day: float
    kwh_year_base: float
    kwh_year: float
    savings_kwh_day: dict[str, float]
    saving_share: float
    electricity_price: float
    cost_year_base: float
    cost_year: float
    grid_co2_factor: float
    co2_kg_year_base: float
    co2_kg_year: float
    gb_day: float
    kwh_per_gb: float
    hourly_w_base: np.ndarray = field(repr=False)
    hourly_w: np.ndarray = field(repr=False)

    @property
    def savings_share(self) -> dict[str, float]:
        """Marginal saving of each feature as a share of the base daily energy [1]."""
        return {k: v / self.kwh_day_base for k, v in self.savings_kwh_day.items()}


def site_energy(
    radios: str | Mapping[str, float] = "64t64r",
    traffic_profile: Sequence[float] | np.ndarray | None = None,
    features: Iterable[str] = FEATURES,
    *,
    sectors: float = 3,
    params: SavingParams | None = None,
    bbu_w: float | None = None,
    overhead: float | None = None,
    electricity_price: float | None = None,
    grid_co2_factor: float | None = None,
    gb_day: float | None = None,
    capacity_mbps: float | None = None,
) -> SiteEnergy:
    """Daily and yearly energy of a site with and without energy-saving features.

    Parameters
    ----------
    radios, traffic_profile, features, sectors, params, bbu_w, overhead
        As in :func:`site_hourly_power_w`.
    electricity_price : float, optional
        [CNY/kWh], default 0.75 (middle of the CCSA-based 0.5-1.0).
    grid_co2_factor : float, optional
        [kg CO2/kWh], default 0.5568 (MEE/NBS 2021 national average).
    gb_day : float, optional
        Data carried per site per day [GB]; else computed from ``capacity_mbps``
        by :func:`gb_per_day`; if neither is given ``kwh_per_gb`` is NaN.
    capacity_mbps : float, optional
        Sector throughput at full load [Mbit/s].

    Returns
    -------
    SiteEnergy
        A year is 365 days of the same profile.

    References
    ----------
    See the module docstring; defaults in :mod:`nrplan.econ.defaults`.
    """
    lam = validate_traffic_profile(traffic_profile)
    feats = parse_features(list(features))
    p = params or SavingParams()
    if p.deep_sleep_hours is not None and "deep-sleep" in feats:
        check_sleep_window(p.deep_sleep_hours, lam)
    price = value("electricity_price") if electricity_price is None else float(electricity_price)
    co2 = value("grid_co2_factor") if grid_co2_factor is None else float(grid_co2_factor)
    check_plausible("electricity_price", price)
    check_plausible("grid_co2_factor", co2)
    ovh = value("overhead_factor") if overhead is None else float(overhead)
    kw = {"sectors": sectors, "params": p, "bbu_w": bbu_w, "overhead": ovh}

    base = site_hourly_power_w(radios, lam, (), **kw)
    # Marginal savings: switch features on one at a time in FEATURES order.
    savings: dict[str, float] = {}
    on: list[str] = []
    prev = float(base.sum()) / 1000.0
    hourly = base
    for f in feats:
        on.append(f)
        hourly = site_hourly_power_w(radios, lam, on, **kw)
        now = float(hourly.sum()) / 1000.0
        savings[f] = prev - now
        prev = now
    kwh_day_base = float(base.sum()) / 1000.0
    kwh_day = float(hourly.sum()) / 1000.0

    idle = site_hourly_power_w(radios, np.zeros(HOURS_PER_DAY), (), **kw)[0]
    full = site_hourly_power_w(radios, np.ones(HOURS_PER_DAY), (), **kw)[0]
    if gb_day is None and capacity_mbps is not None:
        gb_day = gb_per_day(lam, capacity_mbps, sum(_radio_mix(radios, sectors).values()))
    gb = math.nan if gb_day is None else float(gb_day)
    if not math.isnan(gb):
        check_range("gb_day", gb, 0.0, unit="GB")
    return SiteEnergy(
        radios=_radio_mix(radios, sectors),
        features=feats,
        p_idle_w=float(idle),
        p_full_w=float(full),
        p_idle_equipment_w=float(idle) / ovh,
        p_full_equipment_w=float(full) / ovh,
        kwh_day_base=kwh_day_base,
        kwh_day=kwh_day,
        kwh_year_base=kwh_day_base * DAYS_PER_YEAR,
        kwh_year=kwh_day * DAYS_PER_YEAR,
        savings_kwh_day=savings,
        saving_share=1.0 - kwh_day / kwh_day_base if kwh_day_base > 0 else 0.0,
        electricity_price=price,
        cost_year_base=kwh_day_base * DAYS_PER_YEAR * price,
        cost_year=kwh_day * DAYS_PER_YEAR * price,
        grid_co2_factor=co2,
        co2_kg_year_base=kwh_day_base * DAYS_PER_YEAR * co2,
        co2_kg_year=kwh_day * DAYS_PER_YEAR * co2,
        gb_day=gb,
        kwh_per_gb=kwh_day / gb if gb > 0 else math.nan,
        hourly_w_base=base,
        hourly_w=hourly,
    )


def network_energy_kwh_per_year(
    sites: float,
    sectors_by_profile: Mapping[str, float],
    traffic_profile: Sequence[float] | np.ndarray | None = None,
    features: Iterable[str] = FEATURES,
    **kwargs,
) -> float:
    """Yearly energy of a network of ``sites`` sites [kWh/year].

    The radios are spread evenly over the sites (an average site carries
    ``sectors_by_profile[p] / sites`` radios of profile ``p``), so a coverage
    layer counts as present on every site when any site has it.

    Parameters
    ----------
    sites : float
        Number of sites (>= 0).
    sectors_by_profile : mapping
        Radio units per profile over the whole network.
    traffic_profile, features, **kwargs
        Passed to :func:`site_energy`.
    """
    check_range("sites", sites, 0.0)
    if sites == 0:
        return 0.0
    mix = {k: float(v) / float(sites) for k, v in sectors_by_profile.items()}
    return float(sites) * site_energy(mix, traffic_profile, features, **kwargs).kwh_year
