"""Private 5G for industry: device classes (TS 22.104), profiles, reliability,
latency budgets, capacity, layouts and the end-to-end plan (``nrplan private``)."""

from nrplan.industry.devices import (
    BUILTIN_CLASSES,
    DeviceClass,
    Inventory,
    default_inventory,
    load_inventory,
)
from nrplan.industry.engine_check import EngineCheck, measure_with_engine
from nrplan.industry.latency import LatencyConfig, class_latency, latency_budget
from nrplan.industry.plan import PrivatePlan, plan_private, read_area, write_plan
from nrplan.industry.profiles import PROFILES, Profile, load_profile
from nrplan.industry.reliability import availability, outage_probability

__all__ = [
    "BUILTIN_CLASSES",
    "PROFILES",
    "DeviceClass",
    "EngineCheck",
    "Inventory",
    "LatencyConfig",
    "PrivatePlan",
    "Profile",
    "availability",
    "class_latency",
    "default_inventory",
    "latency_budget",
    "load_inventory",
    "load_profile",
    "measure_with_engine",
    "outage_probability",
    "plan_private",
    "read_area",
    "write_plan",
]
