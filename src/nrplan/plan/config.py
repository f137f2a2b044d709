"""Plan configuration: targets, links, layers, operators and run settings, validated.

Every value has a default a planner would recognise; every one can be
overridden from a TOML file (``--config plan.toml``) or from the CLI. Errors
are reported as :class:`~nrplan.errors.NrplanInputError` naming the field and
the allowed range.

Defaults and where they come from
---------------------------------
- Coverage criterion SS-RSRP >= -110 dBm and SS-SINR >= -3 dB (SSB against
  the neighbours' SSBs at full SSB load): common 3.5 GHz acceptance
  criteria of Chinese operators (SS-RSRP -105..-110 dBm, SS-SINR -3 dB).
- Covered shares (docs/planning-defaults.md): 95 % of the outdoor area and of
  the outdoor users, 85 % of the indoor users from the macro sites: an
  RF-planning guide's outdoor 95-98 % and in-building 85-90 %
  (https://www.cafetele.com/rf-planning-book/reader.html), at the lower
  ends (the rest of deep indoor is left to indoor systems).
- Cell-edge rates 10 Mbit/s DL and 1 Mbit/s UL at the 5th percentile of the
  covered users (indoor included): China Telecom's 3D-UMa link budget
  (https://mtoou.info/tubiao/585218.html) and field UL 1.0-1.8 Mbit/s at
  SS-RSRP -110 dBm (https://www.hindawi.com/journals/mpe/2021/9724623/tab4/).
- Busy-hour cell load <= 70 %: the usual 70-80 % PRB-utilisation expansion
  trigger (https://www.5g6gacademy.com/learn/5g-capacity-planning).
- PDSCH SINR at a 50 % planning load; body loss 3 dB and UL interference
  over thermal 3 dB: see :class:`LinkConfig`.
- Site heights per morphology (30/30/30/35/40 m): typical rooftop/tower heights
  for urban core..rural macro sites; TR 38.901 Table 7.8-1 uses 25 m (UMa)
  and 35 m (RMa) for its reference deployments.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from nrplan.defaults import value as _default
from nrplan.engine.config import PredictionConfig
from nrplan.errors import NrplanInputError
from nrplan.io.toml import read_toml
from nrplan.morphology import MORPHOLOGIES
from nrplan.plan.networks import SCENARIOS
from nrplan.radio.bands import BANDS

__all__ = [
    "LayerConfig",
    "LinkConfig",
    "MorphologyConfig",
    "PlanConfig",
    "Targets",
    "load_config",
    "validation_error_to_input_error",
]

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Targets(_Model):
    """Coverage and capacity targets of a plan.

    A user is covered where its SS-RSRP and SS-SINR clear the thresholds
    (body loss, building penetration and shadowing included, see
    :mod:`nrplan.plan.users`).

    Attributes
    ----------
    rsrp_dbm : float
        SS-RSRP threshold [dBm].
    sinr_db : float
        SS-SINR threshold [dB] (SSB against neighbours' SSBs at full load).
    area_coverage : float
        Share of the in-scope built-up area covered for an outdoor user [0-1].
    population_coverage : float
        Share of the in-scope outdoor users covered [0-1].
    indoor_population_coverage : float
        Share of the in-scope indoor users (low- and high-loss buildings)
        covered from the outdoor sites [0-1] (the rest is left to indoor
        systems).
    edge_dl_mbps, edge_ul_mbps : float
        Minimum DL / UL user rate at the ``edge_percentile`` of the covered
        in-scope users, indoor included [Mbit/s].
    edge_percentile : float
        Percentile of the covered users at which the edge rate is measured [%].
    load_limit : float
        Maximum busy-hour load (PRB utilisation) of any cell [0-1].
    """

    # defaults with their sources: the registry nrplan.defaults ("target_*")
    rsrp_dbm: float = Field(_default("target_rsrp_dbm"), ge=-150.0, le=-40.0)
    sinr_db: float = Field(_default("target_sinr_db"), ge=-20.0, le=40.0)
    area_coverage: Fraction = _default("target_area_coverage")
    population_coverage: Fraction = _default("target_area_coverage")
    indoor_population_coverage: Fraction = _default("target_indoor_coverage")
    edge_dl_mbps: float = Field(_default("target_edge_dl_mbps"), ge=0.0, le=10_000.0)
    edge_ul_mbps: float = Field(_default("target_edge_ul_mbps"), ge=0.0, le=5_000.0)
    edge_percentile: float = Field(5.0, gt=0.0, lt=100.0)
    load_limit: float = Field(_default("target_load_limit"), gt=0.0, le=1.0)


class LinkConfig(_Model):
    """Link-level planning values shared by every layer.

    Attributes
    ----------
    planning_load : float
        Load at which neighbours interfere with the PDSCH [0-1]: their
        traffic beams (averaged over their steering range) are on this share
        of the time. The SINR that sets the user rates; the busy-hour load
        is reported, not used to make SINR look good. 50 % (DESIGN.md).
    body_loss_db : float
        Body loss of every user, DL and UL [dB]: 3 dB of FR1 link budgets
        (https://www.5g6gacademy.com/learn/5g-link-budget;
        https://hicelltek.com/en/nr-link-budget-calculator/).
    ul_iot_db : float
        Uplink interference over thermal at the planning load [dB]: between
        the 2 dB (hicelltek.com worked example) and 4 dB (5g6gacademy.com
        table) interference margins of FR1 link budgets.
    ul_prb_share : float
        Share of the UL PRBs one user transmits on (0-1]; its power-class
        power is spread over them: 25 %, a quarter of the carrier for an
        edge user (nrplan planning value; 1 Mbit/s needs ~ -1 dB SINR on it).
    """

    planning_load: float = Field(0.5, gt=0.0, le=1.0)
    body_loss_db: float = Field(3.0, ge=0.0, le=20.0)
    ul_iot_db: float = Field(3.0, ge=0.0, le=30.0)
    ul_prb_share: float = Field(0.25, gt=0.0, le=1.0)


class MorphologyConfig(_Model):
    """Overrides of one morphology class's users (``[morphology.<name>]``);
    unset values keep :data:`nrplan.morphology.MORPHOLOGIES`.

    Attributes
    ----------
    indoor_share : float, optional
        Share of the class's users indoors [0-1].
    high_loss_share : float, optional
        Share of the indoor users in high-loss buildings [0-1].
    h_ut_indoor_m : float, optional
        Mean height of the indoor users [m], 1-22.5 (TR 38.901 UMa range).
    """

    indoor_share: Fraction | None = None
    high_loss_share: Fraction | None = None
    h_ut_indoor_m: float | None = Field(None, ge=1.0, le=22.5)


class LayerConfig(_Model):
    """Site engineering per morphology class.

    Attributes
    ----------
    band : str
        Band name from :data:`nrplan.radio.bands.BANDS`.
    height_m : float
        Antenna height above ground [m].
    elec_tilt_deg : float or None
        Electrical downtilt [deg]; None (default) sets it per site so that the
        SSB beam's upper half-power direction meets the cell edge of the
        site's local spacing (``nrplan.plan.layout.downtilt_deg``).
    mech_tilt_deg : float
        Mechanical downtilt [deg].
    """

    band: str = "n78"
    height_m: float = Field(30.0, gt=1.5, le=300.0)
    elec_tilt_deg: float | None = Field(None, ge=-10.0, le=30.0)
    mech_tilt_deg: float = Field(2.0, ge=-10.0, le=30.0)


def _default_layers() -> dict[str, LayerConfig]:
    return {
        "urban_core": LayerConfig(height_m=30.0, mech_tilt_deg=3.0),
        "dense_urban": LayerConfig(height_m=30.0, mech_tilt_deg=2.0),
        "urban": LayerConfig(height_m=30.0, mech_tilt_deg=2.0),
        "suburban": LayerConfig(height_m=35.0, mech_tilt_deg=1.0),
        "rural": LayerConfig(band="n78", height_m=40.0, mech_tilt_deg=0.0),
    }


#: Values of ``PlanConfig.operators`` (:mod:`nrplan.plan.networks` plans them).
OPERATOR_SCENARIOS = tuple(SCENARIOS)


class NetworkConfig(_Model):
    """Overrides of one network of the ``operators`` scenario
    (:data:`nrplan.plan.networks.NETWORKS`); None keeps the default.

    Attributes
    ----------
    user_share : float, optional
        Share of the mobile users the network carries, in (0, 1].
    band : str, optional
        Band of its n78 layers (a :data:`nrplan.radio.bands.BANDS` name).
    """

    user_share: float | None = Field(None, gt=0.0, le=1.0, allow_inf_nan=False)
    band: str | None = None

    @field_validator("band")
    @classmethod
    def _check_band(cls, v: str | None) -> str | None:
        if v is not None and v not in BANDS:
            raise ValueError(f"unknown band {v!r}; allowed: {', '.join(BANDS)}")
        return v


class PlanConfig(_Model):
    """Everything that shapes a plan.

    Attributes
    ----------
    year : int
        Scenario year: it sets the coverage scope (2020 prefecture-level urban
        areas, 2021-22 + county towns, 2023+ + township centres), the 5G
        penetration and the traffic per user (:mod:`nrplan.demand.defaults`).
        The bands stay those of ``layers``: the planned operators (China
        Telecom, China Unicom) held 3400-3600 MHz for 5G throughout 2020-2025
        (MIIT licences, https://bigdigital-cn.com/ask/16295.html); add layers to model other bands.
    resolution_m : float
        Planning grid pixel size [m]; 50 m by default (``nrplan plan china``
        uses 100 m unless it is set: the same sites within ~2 % in half the
        time; engine work grows as 1/resolution^2).
    operators : {"single", "shared", "separate", "china-2020"}
        One operator's network; a shared RAN (two operators on one set of
        sites with pooled spectrum, as China Telecom and China Unicom share
        3.5 GHz); two separate networks (reported for comparison); or the
        two national networks built by end-2020 (China Mobile on n41 and the
        CT + CU shared RAN on n78; year 2020 only). See
        :mod:`nrplan.plan.networks`.
    networks : dict
        Overrides of the scenario's networks (user share, band), by network
        name (``[networks.cm]`` in a TOML config).
    targets : Targets
        Coverage and capacity targets.
    link : LinkConfig
        Planning load, body loss, UL interference and PRB share.
    morphology : dict
        Overrides of the morphology classes' users, by class name.
    layers : dict
        Site engineering per morphology name.
    max_iterations : int
        Cap on refinement iterations per city.
    max_sites : int
        Site budget per city (refinement stops there and reports shortfall).
    prune : bool
        Try to remove sites whose removal keeps every target.
    rasters : bool
        Write per-city GeoTIFF rasters.
    demand_overrides : dict
        Overrides of the year's demand defaults, by
        :class:`nrplan.demand.build.DemandParams` field (``penetration``,
        ``dou_gb``, ``busy_hour_share``, ...).
    seed : int
        Seed of every random draw (recorded in outputs).
    pathloss_corrections : dict, optional
        Tuned path-loss corrections per morphology code, ``code -> (a_dB,
        b_dB_per_decade)`` (``nrplan tune``, ``docs/tuning.md``; bounds of
        :data:`nrplan.engine.config.CORRECTION_BOUNDS`); None = untuned.
    tuned_model : dict, optional
        Provenance of ``pathloss_corrections`` (file, SHA-256, cross-validated
        RMSE), recorded in the run directory's ``config.json``.
    """

    year: int = Field(2020, ge=2019, le=2035)
    resolution_m: float = Field(50.0, ge=5.0, le=500.0)
    operators: str = "single"
    networks: dict[str, NetworkConfig] = Field(default_factory=dict)
    targets: Targets = Targets()
    link: LinkConfig = LinkConfig()
    morphology: dict[str, MorphologyConfig] = Field(default_factory=dict)
    layers: dict[str, LayerConfig] = Field(default_factory=_default_layers)
    max_iterations: int = Field(6, ge=0, le=100)
    max_sites: int = Field(20_000, ge=1, le=1_000_000)
    prune: bool = True
    rasters: bool = True
    seed: int = Field(1, ge=0, strict=True)
    demand_overrides: dict[str, float] = Field(default_factory=dict)
    pathloss_corrections: dict[int, tuple[float, float]] | None = None
    tuned_model: dict[str, str | float | None] | None = None

    @field_validator("pathloss_corrections")
    @classmethod
    def _check_corrections(cls, v):
        if v is None:
            return None

        try:  # the engine's own bounds and codes
            PredictionConfig(pathloss_corrections=v)
        except NrplanInputError as exc:
            raise ValueError(str(exc)) from None
        return {int(k): (float(a), float(b)) for k, (a, b) in v.items()}

    @field_validator("operators", mode="before")
    @classmethod
    def _check_operators(cls, v: object) -> str:
        name = str(v).strip().lower()
        if name not in OPERATOR_SCENARIOS:
            raise ValueError(
                f"unknown operators scenario {v!r}; allowed: {', '.join(OPERATOR_SCENARIOS)}"
            )
        return name

    @model_validator(mode="after")
    def _check_scenario(self) -> PlanConfig:
        if self.operators.startswith("china-") and self.year != int(self.operators[6:]):
            raise ValueError(
                f"operators {self.operators} is the {self.operators[6:]} scenario (the networks "
                f"built by then), not year {self.year}; use year {self.operators[6:]} or "
                "single/shared/separate"
            )
        planned = SCENARIOS[self.operators]
        unknown = sorted(set(self.networks) - set(planned))
        if unknown:
            raise ValueError(
                f"unknown network {', '.join(unknown)} for operators {self.operators}; "
                f"allowed: {', '.join(planned)}"
            )
        return self

    @field_validator("demand_overrides")
    @classmethod
    def _check_demand(cls, v: dict[str, float]) -> dict[str, float]:
        allowed = (
            "penetration",
            "dou_gb",
            "fiveg_dou_factor",
            "busy_hour_share",
            "busy_days_per_month",
            "ul_dl_ratio",
            "rural_density_per_km2",
        )
        unknown = sorted(set(v) - set(allowed))
        if unknown:
            raise ValueError(f"unknown demand parameter {unknown}; allowed: {', '.join(allowed)}")
        for k, x in v.items():
            if not x >= 0:
                raise ValueError(f"demand parameter {k} must be >= 0, got {x}")
        return v

    @field_validator("morphology")
    @classmethod
    def _check_morphology(cls, v: dict[str, MorphologyConfig]) -> dict[str, MorphologyConfig]:
        _check_class_names(v)
        return v

    def morphology_class(self, code: int):
        """The :class:`nrplan.morphology.Morphology` of ``code`` with this
        config's overrides applied."""
        m = MORPHOLOGIES[code]
        over = self.morphology.get(m.name)
        if over is None:
            return m
        changes = {k: v for k, v in over.model_dump().items() if v is not None}
        return replace(m, **changes, source=m.source + "; overridden in the plan config")

    @field_validator("layers")
    @classmethod
    def _check_layers(cls, v: dict[str, LayerConfig]) -> dict[str, LayerConfig]:
        _check_class_names(v)
        for name, layer in v.items():
            if layer.band not in BANDS:
                raise ValueError(
                    f"unknown band {layer.band!r} for {name}; allowed: {', '.join(BANDS)}"
                )
        full = _default_layers()
        full.update(v)
        return full


def _check_class_names(v: dict) -> None:
    """Raise when a key is not a morphology class name."""
    names = {m.name for m in MORPHOLOGIES.values()}
    unknown = set(v) - names
    if unknown:
        raise ValueError(f"unknown morphology {sorted(unknown)}; allowed: {sorted(names)}")


def validation_error_to_input_error(
    exc: ValidationError, source: str = "config"
) -> NrplanInputError:
    """Turn the first pydantic validation error into a one-line input error."""
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err.get("loc", ())) or source
    msg = err.get("msg", "invalid value")
    msg = msg.removeprefix("Value error, ")
    where = f"{source}: {field}" if field != source else source
    return NrplanInputError(f"{source}:{field}", err.get("input"), msg, message=f"{where}: {msg}")


def load_config(path: str | Path | None = None, **overrides) -> PlanConfig:
    """Build a :class:`PlanConfig` from an optional TOML file plus overrides.

    Parameters
    ----------
    path : path, optional
        TOML file whose top-level keys are :class:`PlanConfig` fields
        (``[targets]`` and ``[layers.<morphology>]`` tables allowed).
    **overrides
        Field values that win over the file (``None`` values are ignored).
    """
    data: dict = read_toml(path) if path is not None else {}
    shadowed = {k for k, v in overrides.items() if v is not None and k in data and k != "targets"}
    if shadowed:
        # a wrong value in the file is an error even where an option overrides it
        try:
            PlanConfig(**data)
        except ValidationError as exc:
            if any(err["loc"] and err["loc"][0] in shadowed for err in exc.errors()):
                raise validation_error_to_input_error(exc) from None
    for key, value in overrides.items():
        if value is None:
            continue
        if key == "targets" and isinstance(value, dict):
            data.setdefault("targets", {}).update(value)
        else:
            data[key] = value
    try:
        return PlanConfig(**data)
    except ValidationError as exc:
        raise validation_error_to_input_error(exc) from None
