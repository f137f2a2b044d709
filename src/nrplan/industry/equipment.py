"""Radio equipment of private industrial networks: the unit catalogue.

Each :class:`UnitType` is a product class an integrator installs on a port,
mine, factory or campus, with the numbers the planner needs: transmit power
per sector, antenna pattern (a profile of :data:`nrplan.radio.antenna.ANTENNA_PROFILES`),
sectors per site, diversity branches, mounting height range, capex and
yearly opex per unit, and input power idle / at full load. The table is
:data:`UNIT_TYPES`; every value's source is in its ``source`` field and in
``docs/private-equipment.md``.

Costs and power of the macro units are built from the national defaults of
:mod:`nrplan.econ.defaults` (BBU, AAU / RRU per sector, installation,
maintenance, BBU and AAU power), read when the catalogue is used so a change
of a national default flows through. Mounting civil works depend on the zone
(:data:`ZONE_MOUNTING`): an existing high-mast light tower in a container
yard, a new mast in a pit, a new rooftop / pole on a campus, ceiling
brackets in a hall.

Omni small cells (``pico-4t4r``, ``pole-4t4r``, ``micro-4t4r``, ``mast-omni``) keep
the cost rules of :mod:`nrplan.industry.economics` (small-cell share of a
macro site's costs, smart-pole and enterprise small-cell power).

The planner tries the candidate types of a zone kind (:data:`ZONE_CANDIDATES`
or the profile's ``units`` list) and keeps the cheapest (TCO) that meets the
targets (:func:`nrplan.industry.plan.plan_private`).

References
----------
3GPP TR 38.901 V17.0.0, 7.3 (antenna model, via ``nrplan.radio.antenna``).
China Mobile 2020 5G phase-2 tender (BBU + 3 AAU average), China Tower 2020
annual results, CCSA / Huawei 5G power figures: see :mod:`nrplan.econ.defaults`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nrplan.econ.defaults import value
from nrplan.errors import NrplanInputError, check_choice
from nrplan.radio.antenna import get_antenna

__all__ = [
    "UNIT_TYPES",
    "ZONE_CANDIDATES",
    "ZONE_KINDS",
    "ZONE_MOUNTING",
    "UnitType",
    "get_unit_type",
    "unit_costs",
]

ZONE_KINDS = ("yard", "hall", "pit", "road", "outdoor")

#: Civil works per macro site by zone kind: nrplan.econ.defaults name, and why.
ZONE_MOUNTING: dict[str, tuple[str | None, str]] = {
    "yard": (
        "civil_reused",
        "mounted on an existing high-mast light tower of the yard (reinforcement and "
        "mounting only)",
    ),
    "road": ("civil_reused", "mounted on an existing lighting / signal mast along the road"),
    "pit": ("civil_new_tower", "a new mast on the pit rim or a bench (new tower civil works)"),
    "outdoor": ("civil_new_rooftop", "a new rooftop / pole site on a campus building"),
    "hall": (None, "ceiling bracket, part of the unit's installation"),
}


@dataclass(frozen=True)
class UnitType:
    """One radio product class of the catalogue.

    Attributes
    ----------
    name : str
        Catalogue key.
    layout : {"ceiling", "pole", "mast"}
        Placement rule (:mod:`nrplan.industry.layout`).
    antenna : str
        Antenna profile of :data:`nrplan.radio.antenna.ANTENNA_PROFILES`
        (``"omni"`` for omnidirectional units).
    sectors : int
        Sectors per site (1 omni, 3 macro); each sector is a cell.
    power_dbm : float
        Transmit power per sector and carrier [dBm].
    gain_dbi : float
        Peak gain as radiated [dBi]: the traffic beam of the antenna profile,
        or the constant gain of an omni unit.
    branches : int
        Independently fading antenna branches counted for diversity (capped
        by ``nrplan.industry.reliability.DIVERSITY_MAX``).
    height_m, height_min_m, height_max_m : float
        Default mounting height and its range [m].
    downtilt_deg : float
        Mechanical downtilt of the sectors [deg] (sectored units).
    p_idle_w, p_full_w : float or None
        Input power per unit (all sectors and the baseband) idle and at full
        load [W]; None = the small-cell rules of :mod:`nrplan.industry.economics`.
    capex_items : tuple of (str, float)
        (nrplan.econ.defaults name, multiplier) summed for the equipment and
        installation capex per unit; empty = small-cell share rule.
    zones : tuple of str
        Zone kinds the unit is a candidate for by default.
    description, source : str
    """

    name: str
    layout: Literal["ceiling", "pole", "mast"]
    antenna: str
    sectors: int
    power_dbm: float
    gain_dbi: float
    branches: int
    height_m: float
    height_min_m: float
    height_max_m: float
    downtilt_deg: float
    p_idle_w: float | None
    p_full_w: float | None
    capex_items: tuple[tuple[str, float], ...]
    zones: tuple[str, ...]
    description: str
    source: str

    @property
    def sectored(self) -> bool:
        return self.sectors > 1


def _macro(name: str, radio: str, aau: str, power_dbm: float, desc: str, src: str) -> UnitType:
    bbu = value("bbu_power")
    return UnitType(
        name=name,
        layout="mast",
        antenna=radio,
        sectors=3,
        power_dbm=power_dbm,
        gain_dbi=get_antenna(radio).max_gain_dbi["traffic"],
        branches=8,
        height_m=30.0,
        height_min_m=15.0,
        height_max_m=50.0,
        downtilt_deg=0.0,
        p_idle_w=bbu + 3.0 * value(f"p0_{radio}"),
        p_full_w=bbu + 3.0 * value(f"pmax_{radio}"),
        capex_items=(
            ("bbu_per_site", 1.0),
            (aau, 3.0),
            ("installation_per_site", 1.0),
            ("power_upgrade_per_site", 1.0),
            ("transmission_per_site", 1.0),
        ),
        zones=("yard", "pit", "road", "outdoor"),
        description=desc,
        source=src,
    )


_MACRO_SRC = (
    "power {p}: nrplan.econ.defaults pout_{r} ({w}); gain: traffic beam of "
    "nrplan.radio.antenna '{r}' (TR 38.901 7.3 panel less the AAU implementation loss); "
    "capex: BBU + 3 x {aau} + installation + power upgrade + transmission (fibre) "
    "(CM 2020 phase-2 tender split and the all-in new-BS capex items of "
    "nrplan.econ.defaults) + the zone's mounting civil works; "
    "power: BBU + 3 x p0/pmax_{r} (CCSA / Huawei 5G power figures, "
    "nrplan.econ.defaults); 3 sectors on a mast or light tower 15-50 m (high-mast "
    "lighting of container yards is 25-40 m): nrplan planning range"
)


def _build() -> dict[str, UnitType]:
    omni = "nrplan.radio.antenna 'omni' (flat); other gains enter as constant gain"
    return {
        "macro-64t64r": _macro(
            "macro-64t64r", "64t64r", "aau_64t64r", 53.0,
            "3-sector 64T64R massive-MIMO AAU site (200 W per sector)",
            _MACRO_SRC.format(p="200 W = 53 dBm", r="64t64r", w="200 W per 100 MHz",
                              aau="aau_64t64r"),
        ),
        "macro-32t32r": _macro(
            "macro-32t32r", "32t32r", "aau_32t32r", 53.0,
            "3-sector 32T32R AAU site (200 W per sector)",
            _MACRO_SRC.format(p="200 W = 53 dBm", r="32t32r", w="200 W per 100 MHz",
                              aau="aau_32t32r"),
        ),
        "macro-8t8r": _macro(
            "macro-8t8r", "8t8r", "rru_8t8r", 52.0,
            "3-sector 8T8R RRU site with panel antennas (8 x 20 W per sector)",
            _MACRO_SRC.format(p="8 x 20 W = 160 W = 52 dBm", r="8t8r", w="8 x 20 W",
                              aau="rru_8t8r"),
        ),
        "pico-4t4r": UnitType(
            "pico-4t4r", "ceiling", "omni", 1, 30.0, 4.0, 4, 8.0, 3.0, 20.0, 0.0,
            None, None, (), ("hall",),
            "4T4R indoor pico / room unit on the ceiling, 4 x 250 mW",
            "4 x 250 mW = 30 dBm, 4 dBi omni (indoor 5G pRRU class, vendor datasheets "
            f"[industry - verify]); {omni}; cost and power: enterprise small cell (< 70 W, "
            "10 % of a macro site's TCO; nrplan.econ.defaults pmax_small_cell_indoor, "
            "small_cell_tco_share_indoor)",
        ),
        "pole-4t4r": UnitType(
            "pole-4t4r", "pole", "omni", 1, 37.0, 8.0, 4, 25.0, 8.0, 40.0, 0.0,
            None, None, (), ("yard", "road"),
            "4T4R outdoor micro unit on a lighting pole, 5 W, 8 dBi",
            "5 W = 37 dBm, 8 dBi (outdoor 5G micro RRU class on smart poles, [industry - "
            f"verify]); {omni}; cost and power: smart-pole micro station 150-200 W "
            "(nrplan.econ.defaults pmax_micro_pole), 25 % of a macro site's TCO",
        ),
        "micro-4t4r": UnitType(
            "micro-4t4r", "pole", "omni", 1, 33.0, 6.0, 4, 10.0, 6.0, 20.0, 0.0,
            None, None, (), ("outdoor",),
            "4T4R outdoor micro unit, 2 W, 6 dBi, on a campus pole or wall",
            f"2 W = 33 dBm, 6 dBi [industry - verify]; {omni}; cost and power as pole-4t4r",
        ),
        "mast-omni": UnitType(
            "mast-omni", "mast", "omni", 1, 43.0, 12.0, 8, 35.0, 15.0, 50.0, 0.0,
            None, None, (), ("pit",),
            "omni 20 W unit on a mast (the nrplan 'mast' unit of earlier versions)",
            f"20 W = 43 dBm, 12 dBi average gain over the served area; {omni}; cost and "
            "power: a new ground tower with a BBU and 3 x 8T8R (nrplan.industry.economics)",
        ),
    }  # fmt: skip


#: The catalogue, by name.
UNIT_TYPES: dict[str, UnitType] = _build()

#: Candidate unit types tried per zone kind, most capable first.
ZONE_CANDIDATES: dict[str, tuple[str, ...]] = {
    k: tuple(n for n, u in UNIT_TYPES.items() if k in u.zones) for k in ZONE_KINDS
}


def get_unit_type(name: str) -> UnitType:
    """Catalogue entry by name (an unknown name lists the valid ones).

    Raises
    ------
    NrplanInputError
        Unknown unit type.
    """
    return UNIT_TYPES[check_choice("unit type", name, UNIT_TYPES)]


def unit_costs(unit: UnitType, zone_kind: str) -> tuple[float, float, str]:
    """Capex and non-energy yearly opex per site of a sectored unit [CNY].

    capex = sum of the unit's ``capex_items`` + the zone's mounting civil
    works (:data:`ZONE_MOUNTING`); opex = maintenance per site (the owner's
    mast or light tower: no tower-company tenancy fee).

    Parameters
    ----------
    unit : UnitType
        A sectored unit (``capex_items`` not empty).
    zone_kind : str
        One of :data:`ZONE_KINDS`.

    Returns
    -------
    (capex, opex, basis)

    Examples
    --------
    >>> c, o, _ = unit_costs(get_unit_type("macro-64t64r"), "yard")
    >>> c == (value("bbu_per_site") + 3 * value("aau_64t64r") + value("installation_per_site")
    ...       + value("power_upgrade_per_site") + value("transmission_per_site")
    ...       + value("civil_reused"))
    True
    """
    zone_kind = check_choice("zone kind", zone_kind, ZONE_KINDS)
    if not unit.capex_items:
        raise NrplanInputError("unit type", unit.name, "a sectored unit with capex items")
    capex = sum(m * value(k) for k, m in unit.capex_items)
    civil, why = ZONE_MOUNTING[zone_kind]
    if civil is not None:
        capex += value(civil)
    opex = value("maintenance_per_site")
    items = " + ".join(f"{m:g} x {k}" for k, m in unit.capex_items)
    basis = (
        f"{unit.name}: capex {items}" + (f" + {civil}" if civil else "")
        + f" ({why}); opex maintenance_per_site (owner's mast: no tower fee)"
    )  # fmt: skip
    return float(capex), float(opex), basis
