"""Plan configuration: targets, layers, operators and run settings, validated.

Every value has a default a planner would recognise; every one can be
overridden from a TOML file (``--config plan.toml``) or from the CLI. Errors
are reported as :class:`~nrplan.errors.NrplanInputError` naming the field and
the allowed range.

Defaults and where they come from
---------------------------------
- SS-RSRP >= -110 dBm outdoors and SINR >= -3 dB: common 3.5 GHz coverage
  criteria of Chinese operators' 5G acceptance (SS-RSRP -105..-110 dBm,
  SS-SINR -3 dB); nrplan issue 6.
- Cell-edge DL >= 50 Mbps and UL >= 2 Mbps at the 5th percentile of covered
  pixels; cell load <= 70 %: nrplan issue 6 (70-80 % PRB utilisation is the
  usual expansion trigger, china-facts.md section 7, 5g6gacademy).
- 95 % of the in-scope built-up area covered: nrplan issue 6. Coverage is
  the expected share under lognormal shadowing (TR 38.901 sigma_SF, and the
  7.4.3 O2I sigma indoors), not the share of pixels whose median passes.
- 80 % of the in-scope population covered indoors from outdoor macro sites:
  an nrplan default (assumption: the remaining deep-indoor users are served
  by indoor systems, as operators do in large venues and offices).
- Site heights per morphology (30/30/35/40 m): typical rooftop/tower heights
  for dense urban..rural macro sites; TR 38.901 Table 7.8-1 uses 25 m (UMa)
  and 35 m (RMa) for its reference deployments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nrplan.errors import NrplanInputError
from nrplan.io.toml import read_toml

__all__ = [
    "LayerConfig",
    "PlanConfig",
    "Targets",
    "load_config",
    "validation_error_to_input_error",
]

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Targets(_Model):
    """Coverage and capacity targets of a plan.

    Attributes
    ----------
    rsrp_dbm : float
        Outdoor SS-RSRP threshold [dBm].
    sinr_db : float
        SINR threshold [dB].
    area_coverage : float
        Share of the in-scope built-up area to cover [0-1].
    population_coverage : float
        Share of the in-scope population to cover outdoors [0-1].
    indoor_population_coverage : float
        Share of the in-scope population to cover indoors from the outdoor
        sites [0-1] (the rest is left to indoor systems).
    edge_dl_mbps, edge_ul_mbps : float
        Minimum DL / UL user rate at the ``edge_percentile`` of covered
        in-scope pixels [Mbit/s].
    edge_percentile : float
        Percentile of covered pixels at which the edge rate is measured [%].
    load_limit : float
        Maximum busy-hour load (PRB utilisation) of any cell [0-1].
    """

    rsrp_dbm: float = Field(-110.0, ge=-150.0, le=-40.0)
    sinr_db: float = Field(-3.0, ge=-20.0, le=40.0)
    area_coverage: Fraction = 0.95
    population_coverage: Fraction = 0.95
    indoor_population_coverage: Fraction = 0.80
    edge_dl_mbps: float = Field(50.0, ge=0.0, le=10_000.0)
    edge_ul_mbps: float = Field(2.0, ge=0.0, le=5_000.0)
    edge_percentile: float = Field(5.0, gt=0.0, lt=100.0)
    load_limit: float = Field(0.7, gt=0.0, le=1.0)


class LayerConfig(_Model):
    """Site engineering per morphology class.

    Attributes
    ----------
    band : str
        Band name from :data:`nrplan.radio.bands.BANDS`.
    height_m : float
        Antenna height above ground [m].
    elec_tilt_deg, mech_tilt_deg : float
        Electrical and mechanical downtilt [deg].
    """

    band: str = "n78"
    height_m: float = Field(30.0, gt=1.5, le=300.0)
    elec_tilt_deg: float = Field(6.0, ge=-10.0, le=30.0)
    mech_tilt_deg: float = Field(2.0, ge=-10.0, le=30.0)


def _default_layers() -> dict[str, LayerConfig]:
    return {
        "dense_urban": LayerConfig(height_m=30.0, elec_tilt_deg=8.0, mech_tilt_deg=2.0),
        "urban": LayerConfig(height_m=30.0, elec_tilt_deg=6.0, mech_tilt_deg=2.0),
        "suburban": LayerConfig(height_m=35.0, elec_tilt_deg=4.0, mech_tilt_deg=1.0),
        "rural": LayerConfig(band="n78", height_m=40.0, elec_tilt_deg=3.0, mech_tilt_deg=0.0),
    }


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
        (china-facts.md section 3); add layers to model other bands.
    resolution_m : float
        Planning grid pixel size [m]; 50 m by default, which keeps a national
        run within minutes on a laptop (engine work grows as 1/resolution^2).
    operators : {"single", "shared", "separate"}
        One operator's network; a shared RAN (two operators on one set of
        sites with pooled spectrum, as China Telecom and China Unicom share
        3.5 GHz); or two separate networks (reported for comparison).
    targets : Targets
        Coverage and capacity targets.
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
    """

    year: int = Field(2020, ge=2019, le=2035)
    resolution_m: float = Field(50.0, ge=5.0, le=500.0)
    operators: Literal["single", "shared", "separate"] = "single"
    targets: Targets = Targets()
    layers: dict[str, LayerConfig] = Field(default_factory=_default_layers)
    max_iterations: int = Field(6, ge=0, le=100)
    max_sites: int = Field(20_000, ge=1, le=1_000_000)
    prune: bool = True
    rasters: bool = True
    seed: int = Field(1, ge=0)
    demand_overrides: dict[str, float] = Field(default_factory=dict)

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

    @field_validator("layers")
    @classmethod
    def _check_layers(cls, v: dict[str, LayerConfig]) -> dict[str, LayerConfig]:
        from nrplan.morphology import MORPHOLOGIES
        from nrplan.radio.bands import BANDS

        names = {m.name for m in MORPHOLOGIES.values()}
        unknown = set(v) - names
        if unknown:
            raise ValueError(f"unknown morphology {sorted(unknown)}; allowed: {sorted(names)}")
        for name, layer in v.items():
            if layer.band not in BANDS:
                raise ValueError(
                    f"unknown band {layer.band!r} for {name}; allowed: {', '.join(BANDS)}"
                )
        full = _default_layers()
        full.update(v)
        return full


def validation_error_to_input_error(
    exc: ValidationError, source: str = "config"
) -> NrplanInputError:
    """Turn the first pydantic validation error into a one-line input error."""
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err.get("loc", ())) or source
    msg = err.get("msg", "invalid value")
    msg = msg.removeprefix("Value error, ")
    return NrplanInputError(
        f"{source}:{field}", err.get("input"), msg, message=f"{source}: {field}: {msg}"
    )


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
