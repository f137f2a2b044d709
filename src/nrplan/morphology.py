"""Morphology classes: the land-use classes every planning pixel gets, and the
propagation scenario, users and buildings of each.

The codes are stored in uint8 rasters (0 = outside the planning area) and are
shared by demand (which assigns them), the engine (which picks the path-loss
model per pixel) and the planner (which dimensions per class and measures the
plan over the users of each class).

What differs between classes, and where each value comes from
-------------------------------------------------------------
=============  ========  =======  =========  ==========  ===========  ===========
class          scenario  indoor   high-loss  indoor      building     settlement
                         users    buildings  UT height   height       (footprints)
=============  ========  =======  =========  ==========  ===========  ===========
urban_core     UMa       80 %     50 %       9.0 m       30 m         >= 5 M core
dense_urban    UMa       80 %     20 %       9.0 m       20 m         >= 1 M centre
urban          UMa       80 %     20 %       9.0 m       15 m         >= 100 k
suburban       UMa       70 %     10 %       4.5 m       8 m          towns, fringe
rural          RMa       50 %     0 %        1.5 m       5 m          outside
=============  ========  =======  =========  ==========  ===========  ===========

- Indoor users: ITU-R M.2412-0 (2017) Table 8-2 (IMT-2020 test
  environments): dense urban and urban macro 80 % indoor, rural 50 %
  indoor; suburban is taken between them (70 %, nrplan assumption).
- High-loss buildings (TR 38.901 V17.0.0 Table 7.4.3-2: IRR glass and
  concrete): ITU-R M.2412-0 Table 8-2, 20 % of indoor users in high-loss
  buildings in dense urban and urban macro, low-loss only in rural; the
  megacity core (CBD office towers with coated glass) takes the 50 % / 50 %
  mix of the TR 38.901 Table 7.8-1 UMa calibration; suburban 10 % (between).
- Indoor UT height: TR 38.901 Table 7.4.1-1 note 1 / Table 7.8-1 UMa,
  ``h_UT = 3 (n_fl - 1) + 1.5`` with ``n_fl ~ U(1, N_fl)`` and ``N_fl ~ U(4, 8)``,
  i.e. mean floor 3.5 and mean height 9.0 m (urban core, dense urban,
  urban: the TR 38.901 UMa distribution; taller towers would also see more
  LOS interferers, which the height gain alone would not capture); suburban
  1-3 floors (mean 4.5 m, nrplan assumption); rural 1.5 m (TR 38.901 Table
  7.8-1 RMa).
  Outdoor users are at 1.5 m everywhere (Table 7.4.1-1).
- Mean building height: TR 38.901 Table 7.4.1-1 RMa ``h`` = 5 m default
  (rural); urban values are nrplan planning assumptions for Chinese
  cities (mid-rise 15-20 m, CBD 30 m, low-rise suburban 8 m). UMa's path loss
  does not take a building height (its ``h_E`` model is fixed); the value
  is recorded for RMa and for clutter-aware extensions.
- Settlement classes: the State Council's city-size classes (Guofa [2014]
  No. 51: megacity >= 10 M, extra-large 5-10 M, large 1-5 M, medium 0.5-1 M
  urban residents) set which settlements get an urban core and a dense
  urban centre (:mod:`nrplan.demand.footprints`).

Every value is a planning default, overridable in code
(``dataclasses.replace``); the planner reads them through this registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from nrplan.errors import check_choice, check_range

__all__ = [
    "DENSE_URBAN",
    "DENSITY_ORDER",
    "MORPHOLOGIES",
    "NONE",
    "RURAL",
    "SUBURBAN",
    "URBAN",
    "URBAN_CORE",
    "Morphology",
    "morphology_by_name",
]

NONE = 0
DENSE_URBAN = 1
URBAN = 2
SUBURBAN = 3
RURAL = 4
URBAN_CORE = 5

#: Codes from the densest to the sparsest class (footprints keep the densest).
DENSITY_ORDER = (URBAN_CORE, DENSE_URBAN, URBAN, SUBURBAN, RURAL)


@dataclass(frozen=True)
class Morphology:
    """Planning parameters of one morphology class.

    Attributes
    ----------
    code : int
        Raster code (1..5; 0 is reserved for "outside").
    name : str
        Short name used in configs and outputs.
    scenario : str
        TR 38.901 path-loss scenario used for pixels of this class.
    indoor_share : float
        Share of users indoors [0-1].
    high_loss_share : float
        Share of indoor users in high-loss (IRR glass, concrete) buildings [0-1].
    h_ut_m : float
        Outdoor UT height [m] (the engine predicts at it).
    h_ut_indoor_m : float
        Mean height of indoor users [m] (their floor).
    building_height_m : float
        Mean building height [m].
    source : str
        Where the values come from.
    """

    code: int
    name: str
    scenario: str
    indoor_share: float
    high_loss_share: float
    h_ut_m: float
    h_ut_indoor_m: float
    building_height_m: float
    source: str

    def __post_init__(self) -> None:
        check_range(f"{self.name}.indoor_share", self.indoor_share, 0.0, 1.0)
        check_range(f"{self.name}.high_loss_share", self.high_loss_share, 0.0, 1.0)
        check_range(f"{self.name}.h_ut_m", self.h_ut_m, 1.0, 22.5, unit="m")
        check_range(f"{self.name}.h_ut_indoor_m", self.h_ut_indoor_m, 1.0, 22.5, unit="m")
        check_range(f"{self.name}.building_height_m", self.building_height_m, 0.0, 200.0)


_M2412 = "ITU-R M.2412-0 Table 8-2"
MORPHOLOGIES: dict[int, Morphology] = {
    URBAN_CORE: Morphology(
        URBAN_CORE, "urban_core", "uma", 0.80, 0.50, 1.5, 9.0, 30.0,
        f"{_M2412} dense urban 80% indoor; TR 38.901 Table 7.8-1 UMa 50% high-loss; "
        "TR 38.901 Table 7.4.1-1 indoor h_UT (N_fl ~ U(4,8))",
    ),
    DENSE_URBAN: Morphology(
        DENSE_URBAN, "dense_urban", "uma", 0.80, 0.20, 1.5, 9.0, 20.0,
        f"{_M2412} dense urban: 80% indoor, 20% high-loss; TR 38.901 Table 7.4.1-1 "
        "indoor h_UT (N_fl ~ U(4,8))",
    ),
    URBAN: Morphology(
        URBAN, "urban", "uma", 0.80, 0.20, 1.5, 9.0, 15.0,
        f"{_M2412} urban macro: 80% indoor, 20% high-loss; TR 38.901 Table 7.4.1-1 "
        "indoor h_UT (N_fl ~ U(4,8))",
    ),
    SUBURBAN: Morphology(
        SUBURBAN, "suburban", "uma", 0.70, 0.10, 1.5, 4.5, 8.0,
        f"between {_M2412} urban (80%, 20%) and rural (50%, 0%) (nrplan assumption); "
        "1-3 floors",
    ),
    RURAL: Morphology(
        RURAL, "rural", "rma", 0.50, 0.0, 1.5, 1.5, 5.0,
        f"{_M2412} rural: 50% indoor, low-loss; TR 38.901 Table 7.8-1 RMa h_UT 1.5 m, "
        "Table 7.4.1-1 RMa h = 5 m",
    ),
}  # fmt: skip


def morphology_by_name(name: str) -> Morphology:
    """Look up a morphology class by its short name (error lists the valid ones)."""
    by_name = {m.name: m for m in MORPHOLOGIES.values()}
    return by_name[check_choice("morphology", name, by_name)]
