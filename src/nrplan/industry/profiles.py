"""Site profiles of private industrial networks: port, factory, mine, campus.

A profile gathers every default of a private-network plan (propagation
scenario and clutter, radio units, band, TDD pattern, latency settings,
targets, layout rules) in one pydantic model a user overrides from TOML:

.. code-block:: toml

    scenario = "inf-dh"
    [clutter]
    r = 0.6
    [unit]
    power_dbm = 27

A profile also names its zone kind (``zone_kind``: yard, hall, pit, road,
outdoor), the unit types to try (``units``; default the catalogue candidates
of the zone kind, :mod:`nrplan.industry.equipment`), its zones
(``[[zones]]``, :mod:`nrplan.industry.zones`) and a default inventory
(``devices``). A ``[unit]`` table without ``units`` plans with that unit
only (``units = ["custom"]``).

Bands are listed in :data:`INDUSTRY_BANDS`: one carrier of each public band of
:mod:`nrplan.radio.bands` (sources there) and a ``local`` private block.

References
----------
3GPP TR 38.901 V17.0.0, Table 7.2-4 (InF evaluation parameters: clutter
density r, effective clutter height h_c, typical clutter size d_clutter,
ceiling height) and Table 7.4.1-1 (scenarios); Table 7.8-1 (UE noise figure
9 dB, BS noise figure 5 dB).
3GPP TS 38.101-1 V17.0.0, Table 5.3.2-1 (N_RB per bandwidth and SCS),
Table 6.2.1-1 (UE power class 3: 23 dBm).
TS 38.306 V17.0.0, clause 4.1.2 (overhead 0.14 DL / 0.08 UL in FR1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nrplan.errors import NrplanInputError, check_choice
from nrplan.industry.economics import PrivateCostSettings
from nrplan.industry.equipment import UNIT_TYPES
from nrplan.industry.layout import MIN_SPACING_M
from nrplan.industry.zones import ZoneSpec
from nrplan.io.toml import read_toml
from nrplan.radio.bands import get_band
from nrplan.radio.nr import n_prb

__all__ = [
    "INDUSTRY_BANDS",
    "INF_CLUTTER",
    "PROFILES",
    "Clutter",
    "IndustryBand",
    "Profile",
    "RadioUnit",
    "get_profile",
    "industry_band",
    "load_profile",
]


@dataclass(frozen=True)
class IndustryBand:
    """Carrier of a private network.

    Attributes
    ----------
    name : str
    f_c_ghz : float
        Centre frequency [GHz].
    bandwidth_mhz : float
        Channel bandwidth per direction [MHz].
    scs_khz : int
        Subcarrier spacing [kHz].
    n_prb : int
        Transmission bandwidth [PRB] (TS 38.101-1 Table 5.3.2-1).
    duplex : {"tdd", "fdd"}
    source : str
    """

    name: str
    f_c_ghz: float
    bandwidth_mhz: float
    scs_khz: int
    n_prb: int
    duplex: str
    source: str


def _carrier_of(name: str, note: str) -> IndustryBand:
    """First carrier of a public band of :data:`nrplan.radio.bands.BANDS`."""
    b = get_band(name)
    bw = b.carriers_mhz[0]
    return IndustryBand(
        name=name,
        f_c_ghz=b.f_c_ghz,
        bandwidth_mhz=bw,
        scs_khz=int(b.scs_khz),
        n_prb=n_prb(bw, b.scs_khz),
        duplex=b.duplex,
        source=f"{note} of nrplan.radio.bands {name!r}: {b.source}",
    )


#: Bands for Chinese private networks: one carrier of each public band of
#: :data:`nrplan.radio.bands.BANDS` (frequencies, SCS and sources there; N_RB
#: from TS 38.101-1 V17.0.0 Table 5.3.2-1: 100 MHz at 30 kHz 273, 30 MHz at
#: 15 kHz 160), plus ``local``, a private block not deployed publicly.
INDUSTRY_BANDS: dict[str, IndustryBand] = {
    "n79": _carrier_of("n79", "the 100 MHz carrier (the industry default in China)"),
    "n78": _carrier_of("n78", "one 100 MHz carrier"),
    "n41": _carrier_of("n41", "the first (100 MHz) carrier"),
    "n28": _carrier_of("n28", "the 2 x 30 MHz FDD carrier, evaluated at its DL frequency"),
    "local": IndustryBand(
        "local",
        4.95,
        100.0,
        30,
        n_prb(100.0, 30.0),
        "tdd",
        "a 100 MHz private block at 4.9 GHz (CBN 4900-5000 MHz [recall - verify]); "
        "nrplan assumption, check the licence",
    ),
}


def industry_band(name: str) -> IndustryBand:
    """Band by name (error lists the valid ones)."""
    return INDUSTRY_BANDS[check_choice("band", name, INDUSTRY_BANDS)]


class Clutter(BaseModel):
    """InF clutter parameters (TR 38.901 Table 7.2-4).

    Attributes
    ----------
    r : float
        Clutter density, share of the floor covered by clutter [0-1):
        sparse (SL/SH) [0.2, 0.4), dense (DL/DH) [0.4, 0.99).
    h_c : float
        Effective clutter height [m], 0-10 m and below the ceiling.
    d_clutter : float
        Typical clutter size [m]: 10 m sparse, 2 m dense.
    ceiling_m : float
        Hall ceiling height [m] (5-25 m).
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    r: float = Field(0.2, ge=0.0, lt=1.0)
    h_c: float = Field(2.0, ge=0.0, le=10.0)
    d_clutter: float = Field(10.0, gt=0.0)
    ceiling_m: float = Field(10.0, ge=5.0, le=25.0)

    @model_validator(mode="after")
    def _below_ceiling(self) -> Clutter:
        if self.h_c >= self.ceiling_m:
            raise NrplanInputError("clutter.h_c", self.h_c, f"< ceiling_m ({self.ceiling_m} m)")
        return self


#: Typical InF parameters per sub-scenario, inside the ranges of TR 38.901
#: Table 7.2-4 (r: sparse 20-40 %, dense 40-99 %; d_clutter 10 m / 2 m; h_c
#: 0-10 m). The specific values (r, h_c, ceiling) are nrplan defaults.
INF_CLUTTER: dict[str, Clutter] = {
    "inf-sl": Clutter(r=0.2, h_c=2.0, d_clutter=10.0, ceiling_m=10.0),
    "inf-dl": Clutter(r=0.6, h_c=6.0, d_clutter=2.0, ceiling_m=10.0),
    "inf-sh": Clutter(r=0.2, h_c=2.0, d_clutter=10.0, ceiling_m=10.0),
    "inf-dh": Clutter(r=0.6, h_c=6.0, d_clutter=2.0, ceiling_m=10.0),
}

Scenario = Literal["inf-sl", "inf-dl", "inf-sh", "inf-dh", "umi", "uma", "rma"]
ZoneKind = Literal["yard", "hall", "pit", "road", "outdoor"]


class RadioUnit(BaseModel):
    """Radio unit type placed by the layout.

    Omni units (``sectors = 1``) have a constant gain toward the service area
    (ceiling small cells are; for omni poles and masts the gain is an average
    over the served sector, an nrplan simplification). Sectored units
    (``sectors > 1``, macro AAUs of :mod:`nrplan.industry.equipment`) use the
    antenna pattern of ``antenna`` per sector.

    Attributes
    ----------
    kind : {"ceiling", "pole", "mast"}
        Placement rule: ceiling grid, poles on a lane grid, masts on the rim.
    height_m : float
        Antenna height [m].
    power_dbm : float
        Total transmit power per carrier [dBm].
    gain_dbi : float
        Antenna gain [dBi].
    noise_figure_db : float
        Receiver noise figure [dB].
    antennas : int
        Independently fading antenna branches usable for diversity (TX = RX
        chains): 4 for a 4T4R ceiling small cell or pole unit, 8 for a mast
        unit (an 8T8R radio, or a massive-MIMO panel counted as 8 branches;
        its array gain is in ``gain_dbi``). nrplan assumption per unit type.
    type : str or None
        Catalogue name (:mod:`nrplan.industry.equipment`); None for a
        user-defined ``[unit]``.
    antenna : str
        Antenna profile of :mod:`nrplan.radio.antenna` of a sectored unit
        (its traffic beam's peak is ``gain_dbi``); ``"omni"`` otherwise.
    sectors : int
        Sectors (cells) per site: 1 omni, 3 for macro AAU sites.
    downtilt_deg : float
        Mechanical downtilt of the sectors [deg] (the antenna profile's
        electrical tilt applies on top).
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    kind: Literal["ceiling", "pole", "mast"] = "ceiling"
    height_m: float = Field(8.0, gt=0.0, le=150.0)
    power_dbm: float = Field(30.0, ge=0.0, le=60.0)
    gain_dbi: float = Field(4.0, ge=-10.0, le=30.0)
    noise_figure_db: float = Field(5.0, ge=0.0, le=20.0)
    antennas: int = Field(4, ge=1, le=64)
    type: str | None = Field(
        None, description="catalogue name (nrplan.industry.equipment) this unit came from"
    )
    antenna: str = Field(
        "omni", description="antenna profile of nrplan.radio.antenna (sectored units)"
    )
    sectors: int = Field(1, ge=1, le=6, description="sectors per site (1 = omni)")
    downtilt_deg: float = Field(0.0, ge=-10.0, le=30.0, description="mechanical downtilt")


class Profile(BaseModel):
    """All defaults of one private-network plan (override from TOML).

    See the module docstring; each field's meaning is in its description.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str
    scenario: Scenario
    clutter: Clutter = Field(default_factory=Clutter)
    indoor_share: float = Field(0.0, ge=0.0, le=1.0, description="devices inside buildings")
    o2i_loss_db: float = Field(
        0.0, ge=0.0, description="mean O2I loss of indoor devices [dB] (outdoor profiles)"
    )
    unit: RadioUnit = Field(default_factory=RadioUnit)
    band: str = "n79"
    tdd_pattern: str = "DSUUU"
    special_slot: str = "10:2:2"
    mini_slot: int | None = None
    ue_capability: int = 2
    ul_access: Literal["configured", "dynamic"] = "configured"
    bler: float = Field(0.1, gt=0.0, lt=1.0)
    bler_urllc: float = Field(1e-5, gt=0.0, lt=1.0)
    core: Literal["local", "remote"] = "local"
    h_ut_m: float = Field(1.5, ge=1.0, le=10.0)
    pathloss_correction: tuple[float, float] | None = Field(
        None,
        description="tuned path-loss correction (a [dB], b [dB/decade]): a + b log10(d_2d / 1 m) "
        "added to the scenario's path loss (nrplan tune)",
    )
    ue_power_dbm: float = Field(23.0, ge=0.0, le=33.0)
    ue_gain_dbi: float = 0.0
    ue_noise_figure_db: float = Field(9.0, ge=0.0, le=20.0)
    dl_load: float = Field(
        0.1, ge=0.0, le=1.0, description="floor of a neighbour's DL activity factor"
    )
    ul_iot_db: float = Field(3.0, ge=0.0, le=20.0, description="UL interference over thermal")
    load_limit: float = Field(0.7, gt=0.0, le=1.0, description="max PRB utilisation per cell")
    alloc_share: float = Field(0.5, gt=0.0, le=1.0, description="PRB share per transmission")
    redundancy: int = Field(2, ge=1, le=3, description="links (best servers) per device")
    location_probability: float = Field(
        0.95, ge=0.5, lt=1.0, description="location probability of the shadowing margin"
    )
    shadowing_correlation: float = Field(
        0.5,
        ge=0.0,
        le=0.95,
        description="shadowing correlation between links to different units (SEAMCAT 9.11)",
    )
    ue_rx_antennas: int = Field(2, ge=1, le=8, description="UE receive antennas (DL diversity)")
    ue_tx_antennas: int = Field(1, ge=1, le=4, description="UE transmit antennas (UL diversity)")
    k_factor_db: float | None = Field(
        None, ge=-20.0, le=30.0, description="LOS Rice K [dB]; None = TR 38.901 Table 7.5-6"
    )
    harq_max_tx: int = Field(
        4, ge=1, le=8, description="most HARQ transmissions counted in the reliability"
    )
    area_fraction: float = Field(
        0.98, gt=0.0, le=1.0, description="share of each class's zone (or the site) served"
    )
    spacing_m: float | None = Field(
        None,
        gt=0.0,
        description="largest initial unit spacing [m]; None = the site's long side "
        "(nrplan.industry.sizing.initial_spacing)",
    )
    zone_kind: ZoneKind = Field(
        "yard", description="what the site is (unit candidates of nrplan.industry.equipment)"
    )
    units: list[str] | None = Field(
        None,
        description="unit types tried (nrplan.industry.equipment names, or 'custom' for the "
        "[unit] table); None = the catalogue candidates of zone_kind",
    )
    devices: dict[str, int] = Field(
        default_factory=dict,
        description="default inventory {class: count} when no devices file is given",
    )
    zones: list[ZoneSpec] = Field(
        default_factory=list,
        description="zones where classes need their targets ([[zones]]; nrplan.industry.zones)",
    )
    min_spacing_m: float | None = Field(
        None,
        gt=0.0,
        description="densification stops here [m]; None = the floor of the unit kind",
    )
    shrink: float = Field(0.85, gt=0.1, lt=1.0, description="spacing factor per iteration")
    max_iterations: int = Field(30, ge=1, le=200)
    costs: PrivateCostSettings = Field(
        default_factory=PrivateCostSettings,
        description="unit costs and power ([costs] table; nrplan.industry.economics)",
    )
    source: str = ""

    @model_validator(mode="after")
    def _spacing_floor(self) -> Profile:
        floor = MIN_SPACING_M[self.unit.kind]
        if self.min_spacing_m is not None and self.min_spacing_m < floor:
            raise NrplanInputError(
                "min_spacing_m",
                self.min_spacing_m,
                f">= {floor:g} m for {self.unit.kind} units (realistic minimum spacing)",
            )
        return self

    @model_validator(mode="after")
    def _known_units(self) -> Profile:
        for n in self.units or []:
            if n != "custom":
                check_choice("units", n, [*UNIT_TYPES, "custom"])
        if self.units is not None and not self.units:
            raise NrplanInputError("units", "[]", "at least one unit type")
        return self

    @property
    def min_spacing(self) -> float:
        """Effective minimum spacing [m]: ``min_spacing_m`` or the kind's floor."""
        return self.min_spacing_m or MIN_SPACING_M[self.unit.kind]

    @property
    def is_inf(self) -> bool:
        return self.scenario.startswith("inf")


_SRC_INF = "TR 38.901 Table 7.2-4 ranges; values nrplan defaults"


def _rows(name: str, vs, width: float, classes: list[str], u=(0.03, 0.97)) -> list[ZoneSpec]:
    """Lines along the site's long side at the given across-fractions ``vs``."""
    return [
        ZoneSpec(name=name, classes=classes, coords="site", line=[[u[0], v], [u[1], v]],
                 width_m=width)
        for v in vs
    ]  # fmt: skip


#: Default zones of the port: crane rows (30 m wide: the ~23.5 m span of a six-wide
#: rubber-tyred gantry and its legs) along the quay side (v = 0.06: the quay cranes) and
#: three yard blocks, AGV lanes (10 m: a 3-4 m lane and the vehicle's position
#: tolerance) between them. nrplan planning geometry, drawn in the site frame.
PORT_ZONES = [
    *_rows("crane-rows", (0.06, 0.35, 0.62, 0.88), 30.0, ["crane-control", "crane-video", "plc"]),
    *_rows("agv-lanes", (0.2, 0.48, 0.75), 10.0, ["agv"]),
]
#: Default zones of the open-pit mine: two haul roads across the pit (30 m: two lanes
#: of ultra-class trucks, ~3.5 truck widths of 7-8 m) and the pit floor where drills
#: and shovels work (the middle of the pit). nrplan planning geometry.
MINE_ZONES = [
    ZoneSpec(name="haul-roads", classes=["agv"], coords="site",
             line=[[0.03, 0.5], [0.97, 0.5]], width_m=30.0),
    ZoneSpec(name="haul-roads", classes=["agv"], coords="site",
             line=[[0.25, 0.08], [0.75, 0.92]], width_m=30.0),
    ZoneSpec(name="pit-floor", classes=["crane-control", "crane-video"], coords="site",
             polygon=[[0.35, 0.3], [0.65, 0.3], [0.65, 0.7], [0.35, 0.7]]),
]  # fmt: skip

#: Vehicle and crane CPEs of ports and mines: 2T4R power class 2 (26 dBm, TS 38.101-1
#: V17.0.0 Table 6.2.1-1, n79 / n41 / n78), and URLLC messages spread over the whole
#: carrier at a low code rate (the integrator settings of examples/private/port.toml).
_VEHICLE_CPE: dict = {
    "ue_power_dbm": 26.0,
    "ue_tx_antennas": 2,
    "ue_rx_antennas": 4,
    "alloc_share": 1.0,
}

PROFILES: dict[str, Profile] = {
    "factory": Profile(
        name="factory",
        scenario="inf-dh",
        clutter=INF_CLUTTER["inf-dh"],
        unit=RadioUnit(kind="ceiling", height_m=8.0, power_dbm=30.0, gain_dbi=4.0),
        tdd_pattern="DSUUU",
        zone_kind="hall",
        devices={"agv": 30, "plc": 20, "hd-camera": 16, "sensor": 300},
        source=(
            f"InF-DH (dense clutter, units above the clutter): {_SRC_INF}; ceiling units "
            "from nrplan.industry.equipment (pico-4t4r: 4T4R 4 x 250 mW, 4 dBi) 1 m below the "
            "ceiling; the whole hall is the AGV / PLC zone"
        ),
    ),
    "port": Profile(
        name="port",
        scenario="uma",
        indoor_share=0.0,
        o2i_loss_db=13.0,
        unit=RadioUnit(kind="pole", height_m=25.0, power_dbm=37.0, gain_dbi=8.0),
        tdd_pattern="DSUUU",
        h_ut_m=1.5,
        **_VEHICLE_CPE,
        zone_kind="yard",
        zones=PORT_ZONES,
        devices={
            "agv": 60,
            "crane-control": 12,
            "crane-video": 12,
            "hd-camera": 40,
            "sensor": 400,
            "plc": 8,
        },
        source=(
            "UMa path loss (TR 38.901 Table 7.4.1-1) for a container yard; "
            "yard devices outdoors (antennas outside; sheds get indoor units of their own, "
            "indoor_share 0); vehicle / crane CPEs (see _VEHICLE_CPE); units from "
            "nrplan.industry.equipment (macro AAUs on light towers, "
            "pole micro units); crane rows and AGV lanes drawn in the site frame"
        ),
    ),
    "mine": Profile(
        name="mine",
        scenario="rma",
        unit=RadioUnit(kind="mast", height_m=35.0, power_dbm=43.0, gain_dbi=12.0, antennas=8),
        tdd_pattern="DSUUU",
        **_VEHICLE_CPE,
        zone_kind="pit",
        zones=MINE_ZONES,
        devices={"agv": 24, "crane-control": 8, "crane-video": 8, "hd-camera": 12, "sensor": 60},
        source=(
            "RMa path loss (TR 38.901 Table 7.4.1-1) for an open-pit mine; units from "
            "nrplan.industry.equipment (macro AAUs or omni units on rim masts); haul roads "
            "and the pit floor drawn in the site frame"
        ),
    ),
    "campus": Profile(
        name="campus",
        scenario="umi",
        indoor_share=0.0,
        alloc_share=1.0,
        o2i_loss_db=13.0,
        unit=RadioUnit(kind="pole", height_m=10.0, power_dbm=33.0, gain_dbi=6.0),
        tdd_pattern="DDDSU",
        zone_kind="outdoor",
        devices={"hd-camera": 30, "sensor": 300},
        source=(
            "UMi street canyon (TR 38.901 Table 7.4.1-1); campus devices outdoors (indoor "
            "devices get indoor units of their own, profile factory); camera uplinks over the "
            "whole carrier (alloc_share 1); units from "
            "nrplan.industry.equipment (micro poles, macro AAUs on rooftops)"
        ),
    ),
}


def get_profile(name: str) -> Profile:
    """Built-in profile by name (error lists the valid ones)."""
    return PROFILES[check_choice("profile", name, PROFILES)].model_copy(deep=True)


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def load_profile(
    name: str, config: str | Path | dict[str, Any] | None = None, band: str | None = None
) -> Profile:
    """Built-in profile with overrides from a TOML file (or dict) and a band.

    A TOML ``scenario = "inf-sl"`` without a ``[clutter]`` table takes the
    typical clutter of that sub-scenario (:data:`INF_CLUTTER`).

    Raises
    ------
    NrplanInputError
        Unknown profile, band or key; value out of range (field named).
    """
    prof = get_profile(name)
    over: dict[str, Any] = {}
    if isinstance(config, dict):
        over = config
    elif config is not None:
        over = read_toml(config)
    data = prof.model_dump()
    scen = over.get("scenario")
    if isinstance(scen, str) and scen.lower() in INF_CLUTTER and "clutter" not in over:
        data["clutter"] = INF_CLUTTER[scen.lower()].model_dump()
    if "unit" in over and "units" not in over:  # the user's own unit, as given
        data["units"] = ["custom"]
    data = _deep_merge(data, over)
    if band is not None:
        data["band"] = band
    industry_band(data["band"])
    try:
        out = Profile(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        inner = err.get("ctx", {}).get("error")
        if isinstance(inner, NrplanInputError):
            raise inner from None
        field = ".".join(str(p) for p in err["loc"])
        raise NrplanInputError(field, err.get("input"), err["msg"]) from None
    if out.is_inf and out.unit.height_m >= out.clutter.ceiling_m:
        raise NrplanInputError(
            "unit.height_m", out.unit.height_m, f"< ceiling_m ({out.clutter.ceiling_m} m)"
        )
    if industry_band(out.band).duplex == "fdd":
        out = out.model_copy(update={"tdd_pattern": "F"})
    return out
