"""Device classes of private industrial 5G networks and the device inventory.

A device class says what one device needs from the network: its traffic
(message size and transfer interval, or a streaming rate), the direction that
matters, the one-way end-to-end latency bound and the reliability (the share
of messages delivered within the bound, the "communication service
reliability" of TS 22.104). Built-in classes take their numbers from the
service performance requirements of TS 22.104 (cyber-physical control) and
TS 22.261 (process monitoring); every number that is not from a spec is marked
as an nrplan assumption in the class's ``source``.

An inventory (CSV) lists how many devices of each class a site has, with
optional per-row overrides of any field.

References
----------
3GPP TS 22.104 V17.4.0, clause 5.2, Table 5.2-1 (periodic deterministic
communication: motion control, control-to-control, mobile robots, mobile
control panels) and Annex A.2.2 (motion control, control-to-control, mobile
robots), A.2.4 (mobile control panels).
3GPP TS 22.261 V17.4.0, clause 7.2.2, Table 7.2.2-1 (process automation -
monitoring).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nrplan.errors import NrplanInputError, check_choice

__all__ = [
    "BUILTIN_CLASSES",
    "DeviceClass",
    "DeviceGroup",
    "Inventory",
    "default_inventory",
    "device_class",
    "load_inventory",
]

Direction = Literal["ul", "dl", "both"]


class DeviceClass(BaseModel):
    """Service requirements of one device class.

    Attributes
    ----------
    name : str
        Short class name (registry key).
    description : str
        What the devices are.
    direction : {"ul", "dl", "both"}
        Link direction(s) that must meet the targets ("both": cyclic exchange,
        each direction must).
    message_bytes : float
        Application message (packet) size [bytes].
    period_ms : float
        Transfer interval of periodic traffic [ms].
    latency_ms : float
        One-way end-to-end latency bound [ms] (> 0).
    reliability : float
        Target share of messages delivered within ``latency_ms`` (0 < R < 1).
    ul_mbps, dl_mbps : float or None
        Mean rate per device [Mbit/s]; ``None`` derives it from
        ``message_bytes * 8 / period_ms`` in each direction the class uses.
    indoor_share : float or None
        Share of the class's devices inside buildings (O2I loss) [0-1];
        ``None`` takes the profile's ``indoor_share``. Vehicles and cranes of
        a yard are outdoors: set 0.
    source : str
        Where the numbers come from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    name: str
    description: str = ""
    direction: Direction = "both"
    message_bytes: float = Field(gt=0)
    period_ms: float = Field(gt=0)
    latency_ms: float
    reliability: float
    ul_mbps: float | None = None
    dl_mbps: float | None = None
    indoor_share: float | None = None
    source: str = "user input"

    @field_validator("latency_ms")
    @classmethod
    def _latency_positive(cls, v: float) -> float:
        if not (v > 0) or not math.isfinite(v):
            raise NrplanInputError("latency_ms", v, "> 0 ms")
        return v

    @field_validator("reliability")
    @classmethod
    def _reliability_open_unit(cls, v: float) -> float:
        if not (0.0 < v < 1.0):
            raise NrplanInputError("reliability", v, "(0, 1) exclusive, e.g. 0.99999")
        return v

    @field_validator("ul_mbps", "dl_mbps")
    @classmethod
    def _rate_nonneg(cls, v: float | None) -> float | None:
        if v is not None and not (v >= 0):
            raise NrplanInputError("rate_mbps", v, ">= 0 Mbit/s")
        return v

    @field_validator("indoor_share")
    @classmethod
    def _share_unit(cls, v: float | None) -> float | None:
        if v is not None and not (0.0 <= v <= 1.0):
            raise NrplanInputError("indoor_share", v, "[0, 1]")
        return v

    @property
    def uses_ul(self) -> bool:
        return self.direction in ("ul", "both")

    @property
    def uses_dl(self) -> bool:
        return self.direction in ("dl", "both")

    @property
    def ul_rate_mbps(self) -> float:
        """Mean UL rate per device [Mbit/s]."""
        if self.ul_mbps is not None:
            return self.ul_mbps
        return self.message_bytes * 8.0 / (self.period_ms * 1e3) if self.uses_ul else 0.0

    @property
    def dl_rate_mbps(self) -> float:
        """Mean DL rate per device [Mbit/s]."""
        if self.dl_mbps is not None:
            return self.dl_mbps
        return self.message_bytes * 8.0 / (self.period_ms * 1e3) if self.uses_dl else 0.0

    @property
    def nines(self) -> float:
        """Reliability as a number of nines, -log10(1 - R)."""
        return -math.log10(1.0 - self.reliability)


_S104 = "3GPP TS 22.104 V17.4.0"

#: Built-in classes. Numbers from the specs are cited row by row; anything else
#: is flagged "nrplan assumption".
BUILTIN_CLASSES: dict[str, DeviceClass] = {
    c.name: c
    for c in (
        DeviceClass(
            name="motion-control",
            description="closed-loop motion control (printing, packaging machines)",
            direction="both",
            message_bytes=40,
            period_ms=1.0,
            latency_ms=1.0,
            reliability=0.999999,
            source=(
                f"{_S104} Table 5.2-1 row 'motion control' (A.2.2.1): 40 byte messages, "
                "transfer interval 1 ms, end-to-end latency < transfer interval, "
                "availability 99.9999 % (range 99.999-99.99999 %)"
            ),
        ),
        DeviceClass(
            name="agv",
            description="mobile robot / AGV machine control",
            direction="both",
            message_bytes=250,
            period_ms=10.0,
            latency_ms=10.0,
            reliability=0.99999,
            source=(
                f"{_S104} Table 5.2-1 rows 'mobile robots' (A.2.2.3): 40-250 byte messages, "
                "transfer interval 1-10 ms (machine control), latency < transfer interval; "
                "250 bytes and 10 ms taken as the upper ends; 99.999 % reliability is the "
                "five-nines target of the planning brief (spec range up to 99.9999 %)"
            ),
        ),
        DeviceClass(
            name="crane-control",
            description="remote-controlled crane, control channel (mobile control panel)",
            direction="both",
            message_bytes=250,
            period_ms=12.0,
            latency_ms=12.0,
            reliability=0.99999,
            source=(
                f"{_S104} Table 5.2-1 row 'mobile control panels - mobile cranes' (A.2.4.1): "
                "40-250 byte messages, transfer interval 12 ms, latency < transfer interval; "
                "99.999 % reliability is the five-nines target of the planning brief"
            ),
        ),
        DeviceClass(
            name="crane-video",
            description="remote-controlled crane, camera uplink to the operator",
            direction="ul",
            message_bytes=150_000,
            period_ms=40.0,
            latency_ms=100.0,
            reliability=0.999,
            ul_mbps=30.0,
            source=(
                f"{_S104} Table 5.2-1 row 'mobile robots - video-operated remote control': "
                "15-150 kbyte messages, latency 10-100 ms; 30 Mbit/s per crane (6-8 "
                "cameras), 40 ms frame interval and 99.9 % reliability: nrplan assumption"
            ),
        ),
        DeviceClass(
            name="hd-camera",
            description="fixed HD video surveillance / machine-vision camera",
            direction="ul",
            message_bytes=60_000,
            period_ms=40.0,
            latency_ms=200.0,
            reliability=0.999,
            ul_mbps=12.0,
            source=(
                "nrplan assumption: 1080p H.265 stream 12 Mbit/s, 25 frame/s, 200 ms "
                "one-way latency, 99.9 % reliability (no TS 22.104 row)"
            ),
        ),
        DeviceClass(
            name="sensor",
            description="process monitoring sensor (massive, small packets)",
            direction="ul",
            message_bytes=20,
            period_ms=1000.0,
            latency_ms=50.0,
            reliability=0.999,
            source=(
                "3GPP TS 22.261 V17.4.0 Table 7.2.2-1 row 'process automation - "
                "monitoring': 50 ms latency, 99.9 % reliability; 20 byte message and 1 s "
                "interval: nrplan assumption"
            ),
        ),
        DeviceClass(
            name="plc",
            description="controller-to-controller (PLC to PLC) communication",
            direction="both",
            message_bytes=1000,
            period_ms=10.0,
            latency_ms=10.0,
            reliability=0.99999,
            source=(
                f"{_S104} Table 5.2-1 row 'control-to-control in motion control' (A.2.2.2): "
                "1 kbyte messages, transfer interval up to 10 ms, latency < transfer "
                "interval; 99.999 % is the lower end taken for planning (spec range "
                "99.9999-99.999999 % availability)"
            ),
        ),
    )
}


def device_class(name: str) -> DeviceClass:
    """Built-in class by name; an unknown name lists the valid ones."""
    return BUILTIN_CLASSES[check_choice("class", name, BUILTIN_CLASSES)]


class DeviceGroup(BaseModel):
    """One inventory row: ``count`` devices of a (possibly overridden) class.

    Attributes
    ----------
    cls : DeviceClass
        Class with the row's overrides applied.
    count : int
        Number of devices (>= 0).
    zone : str
        Free-text zone label ("" = whole site); reported, not located.
    """

    model_config = ConfigDict(frozen=True)

    cls: DeviceClass
    count: int = Field(ge=0)
    zone: str = ""


class Inventory(BaseModel):
    """The devices of one site."""

    model_config = ConfigDict(frozen=True)

    groups: tuple[DeviceGroup, ...]

    @property
    def total_devices(self) -> int:
        return sum(g.count for g in self.groups)

    def ul_mbps(self) -> float:
        """Offered UL traffic of the whole inventory [Mbit/s]."""
        return sum(g.count * g.cls.ul_rate_mbps for g in self.groups)

    def dl_mbps(self) -> float:
        """Offered DL traffic of the whole inventory [Mbit/s]."""
        return sum(g.count * g.cls.dl_rate_mbps for g in self.groups)

    def classes(self) -> dict[str, DeviceClass]:
        """Distinct classes by label (class name, plus ``@zone`` when zoned)."""
        return {_label(g): g.cls for g in self.groups}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for g in self.groups:
            out[_label(g)] = out.get(_label(g), 0) + g.count
        return out


def _label(g: DeviceGroup) -> str:
    return f"{g.cls.name}@{g.zone}" if g.zone else g.cls.name


#: CSV columns that override a class field, and the field they set.
OVERRIDE_COLUMNS = {
    "ul_mbps": "ul_mbps",
    "dl_mbps": "dl_mbps",
    "message_bytes": "message_bytes",
    "packet_bytes": "message_bytes",
    "period_ms": "period_ms",
    "latency_ms": "latency_ms",
    "reliability": "reliability",
    "direction": "direction",
    "indoor_share": "indoor_share",
}


def _make_group(cls_name: str, count: Any, zone: str, overrides: Mapping[str, Any]) -> DeviceGroup:
    base = device_class(cls_name)
    try:
        n = int(count)
    except (TypeError, ValueError):
        raise NrplanInputError("count", count, "an integer >= 0") from None
    if n < 0 or float(count) != n:
        raise NrplanInputError("count", count, "an integer >= 0")
    fields = base.model_dump()
    changed = {}
    for col, field in OVERRIDE_COLUMNS.items():
        v = overrides.get(col)
        if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
            continue
        changed[field] = v
    if changed:
        fields.update(changed)
        fields["source"] = base.source + "; overridden: " + ", ".join(sorted(changed))
    try:
        cls = DeviceClass(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        inner = err.get("ctx", {}).get("error")
        if isinstance(inner, NrplanInputError):
            raise inner from None
        field = ".".join(str(p) for p in err["loc"])
        raise NrplanInputError(field, err.get("input"), err["msg"]) from None
    return DeviceGroup(cls=cls, count=n, zone=str(zone or ""))


def load_inventory(path: str | Path) -> Inventory:
    """Read a device inventory CSV.

    Columns: ``class`` and ``count`` (required), ``zone`` (optional label) and
    any of ``ul_mbps``, ``dl_mbps``, ``message_bytes`` (alias
    ``packet_bytes``), ``period_ms``, ``latency_ms``, ``reliability``,
    ``direction``, ``indoor_share`` to override the class defaults for that row.

    Raises
    ------
    NrplanInputError
        Unknown class (the error lists the built-in classes), bad count,
        reliability outside (0, 1), latency <= 0, unknown column.
    """
    path = Path(path)
    if not path.exists():
        raise NrplanInputError("devices", str(path), "an existing CSV file")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        msg = " ".join(str(exc).split())[:80]
        raise NrplanInputError(
            "devices", str(path), f"a UTF-8 CSV with 'class' and 'count' columns ({msg})"
        ) from None
    df.columns = [c.strip().lower() for c in df.columns]
    for req in ("class", "count"):
        if req not in df.columns:
            raise NrplanInputError("devices", str(path), f"a CSV with a '{req}' column")
    known = {"class", "count", "zone", *OVERRIDE_COLUMNS}
    for col in df.columns:
        if col not in known:
            check_choice("devices column", col, sorted(known))
    groups = []
    for rec in df.to_dict("records"):
        over = {k: _num(v) if k != "direction" else v.strip() for k, v in rec.items()}
        groups.append(_make_group(rec["class"].strip(), rec["count"], rec.get("zone", ""), over))
    if not groups:
        raise NrplanInputError("devices", str(path), "at least one device row")
    return Inventory(groups=tuple(groups))


def _num(v: str) -> Any:
    v = v.strip()
    if v == "":
        return None
    try:
        return float(v)
    except ValueError:
        return v


def default_inventory(counts: Mapping[str, int] | Iterable[tuple[str, int]]) -> Inventory:
    """Inventory from ``{class: count}`` of built-in classes."""
    items = counts.items() if isinstance(counts, Mapping) else counts
    return Inventory(groups=tuple(_make_group(k, n, "", {}) for k, n in items))
