"""Private 5G for industry: device classes (TS 22.104), profiles, the equipment
catalogue, zones, reliability, latency budgets, capacity, layouts and the
end-to-end plan (``nrplan private``)."""

from nrplan.industry.devices import (
    BUILTIN_CLASSES,
    DeviceClass,
    Inventory,
    default_inventory,
    load_inventory,
)
from nrplan.industry.engine_check import EngineCheck, measure_with_engine
from nrplan.industry.equipment import UNIT_TYPES, UnitType, get_unit_type
from nrplan.industry.latency import LatencyConfig, class_latency, latency_budget
from nrplan.industry.plan import PrivatePlan, plan_private, read_area, write_plan
from nrplan.industry.profiles import PROFILES, Profile, load_profile
from nrplan.industry.reliability import availability, outage_probability
from nrplan.industry.zones import ZoneSpec, read_poles, read_zones, site_frame

__all__ = [
    "BUILTIN_CLASSES",
    "PROFILES",
    "UNIT_TYPES",
    "DeviceClass",
    "EngineCheck",
    "Inventory",
    "LatencyConfig",
    "PrivatePlan",
    "Profile",
    "UnitType",
    "ZoneSpec",
    "availability",
    "class_latency",
    "default_inventory",
    "get_unit_type",
    "latency_budget",
    "load_inventory",
    "load_profile",
    "measure_with_engine",
    "outage_probability",
    "plan_private",
    "read_area",
    "read_poles",
    "read_zones",
    "site_frame",
    "write_plan",
]
