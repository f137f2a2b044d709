"""Morphology classes: the land-use classes every planning pixel gets, and the
TR 38.901 propagation scenario and indoor-user share each class maps to.

The codes are stored in uint8 rasters (0 = outside the planning area) and are
shared by demand (which assigns them), the engine (which picks the path-loss
model per pixel) and the planner (which dimensions per class).

References
----------
ITU-R M.2412-0 (2017), Table 8-2 (dense urban / urban macro test
environments: 80 % indoor users, 20 % of them in high-loss and 80 % in
low-loss buildings; rural: 50 % indoor, low-loss) and 3GPP TR 38.901
V17.0.0, Table 7.8-1 (80 % indoor for UMa/UMi, 50 % for RMa; its calibration
uses a 50/50 low/high-loss mix). Intermediate classes (urban, suburban)
interpolate between those reference deployments; these are nrplan defaults,
every value is overridable.
"""

from __future__ import annotations

from dataclasses import dataclass

from nrplan.errors import check_choice

__all__ = [
    "DENSE_URBAN",
    "MORPHOLOGIES",
    "NONE",
    "RURAL",
    "SUBURBAN",
    "URBAN",
    "Morphology",
    "morphology_by_name",
]

NONE = 0
DENSE_URBAN = 1
URBAN = 2
SUBURBAN = 3
RURAL = 4


@dataclass(frozen=True)
class Morphology:
    """Planning parameters of one morphology class.

    Attributes
    ----------
    code : int
        Raster code (1..4; 0 is reserved for "outside").
    name : str
        Short name used in configs and outputs.
    scenario : str
        TR 38.901 path-loss scenario used for pixels of this class.
    indoor_share : float
        Share of users indoors [0-1].
    high_loss_share : float
        Share of indoor users in high-loss (IRR glass, concrete) buildings [0-1].
    h_ut_m : float
        Outdoor UT height [m].
    source : str
        Where the values come from.
    """

    code: int
    name: str
    scenario: str
    indoor_share: float
    high_loss_share: float
    h_ut_m: float
    source: str


MORPHOLOGIES: dict[int, Morphology] = {
    DENSE_URBAN: Morphology(
        DENSE_URBAN,
        "dense_urban",
        "uma",
        0.80,
        0.20,
        1.5,
        "ITU-R M.2412 Table 8-2 dense urban: 80% indoor, 20% high-loss; TR 38.901 Table 7.8-1",
    ),
    URBAN: Morphology(
        URBAN,
        "urban",
        "uma",
        0.70,
        0.15,
        1.5,
        "nrplan default between TR 38.901 Table 7.8-1 UMa (80%) and RMa (50%) indoor shares",
    ),
    SUBURBAN: Morphology(
        SUBURBAN,
        "suburban",
        "uma",
        0.60,
        0.10,
        1.5,
        "nrplan default between TR 38.901 Table 7.8-1 UMa (80%) and RMa (50%) indoor shares",
    ),
    RURAL: Morphology(
        RURAL,
        "rural",
        "rma",
        0.50,
        0.0,
        1.5,
        "ITU-R M.2412 Table 8-2 rural and TR 38.901 Table 7.8-1 RMa: 50% indoor, low-loss",
    ),
}


def morphology_by_name(name: str) -> Morphology:
    """Look up a morphology class by its short name (error lists the valid ones)."""
    by_name = {m.name: m for m in MORPHOLOGIES.values()}
    return by_name[check_choice("morphology", name, by_name)]
