"""The networks an ``operators`` scenario plans, and each one's users and bands.

A plan is run once per network over the same cities; each network carries
its operators' share of the mobile users and puts its macro layers on its own
band. The scenarios:

``single``
    One of China Telecom / China Unicom on its own 100 MHz n78 carrier.
``shared``
    The China Telecom + China Unicom shared RAN on the pooled 200 MHz n78
    carrier (``n78-shared``), carrying both operators' users.
``separate``
    ``single``, reported as two identical networks (one per operator).
``china-2020``
    The two national networks built by end-2020, over the same scope: China
    Mobile on n41 (2515-2675 MHz, 160 MHz, 64T64R) and the CT + CU shared RAN
    on n78 (3400-3600 MHz, 200 MHz).

User shares are each network's share of China's 1,594 M mobile users at
end-2020: China Mobile 942 M (59.1 %), China Telecom 351 M and China Unicom
306 M (41.2 %; 40.9 % is used, the complement of China Mobile's share, so the
two networks carry every user once).

References
----------
MIIT, 2020 Communications Industry Statistical Bulletin (1,594 M mobile
users at end-2020), http://www.dvbcn.com/p/120289.html; China Mobile 2020
annual results (942 M mobile customers); spectrum: MIIT trial licences of
December 2018, commercial licences of 2020-12-22 (docs/planning-defaults.md,
"Operators and networks").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from nrplan.defaults import value

if TYPE_CHECKING:
    from nrplan.plan.config import PlanConfig

__all__ = [
    "NETWORKS",
    "OPERATOR_SHARES",
    "SCENARIOS",
    "Network",
    "network_config",
    "networks_for",
]


@dataclass(frozen=True)
class Network:
    """One radio access network of a scenario.

    Attributes
    ----------
    name : str
        Short name, the ``network`` column of ``cities.csv`` and ``sites.gpkg``.
    label : str
        Who runs it, for reports.
    operators : tuple of str
        The operators whose users it carries.
    user_share : float
        Share of the mobile users it carries [-].
    band : str or None
        Band of its macro layers: every layer configured on ``n78`` (the
        default band) is moved to this band; None keeps the configured bands.
    sharing : {"single", "shared", "separate"}
        Cost model of its sites (:mod:`nrplan.plan.economics`): one operator,
        a RAN shared by two operators, or one of two identical networks.
    """

    name: str
    label: str
    operators: tuple[str, ...]
    user_share: float
    band: str | None
    sharing: str


#: Shares of the 1,594 M mobile users at end-2020 (module docstring; registry
#: ``user_share_cm`` of :mod:`nrplan.defaults`).
_CM_SHARE = value("user_share_cm")
_CTCU_SHARE = 1.0 - _CM_SHARE

NETWORKS: dict[str, Network] = {
    "single": Network(
        "single",
        "China Telecom or China Unicom alone (100 MHz n78)",
        ("China Telecom or China Unicom",),
        round(_CTCU_SHARE / 2.0, 3),
        None,
        "single",
    ),
    "shared": Network(
        "shared",
        "China Telecom + China Unicom shared RAN (200 MHz n78)",
        ("China Telecom", "China Unicom"),
        round(_CTCU_SHARE, 3),
        "n78-shared",
        "shared",
    ),
    "separate": Network(
        "separate",
        "China Telecom and China Unicom, separate networks (100 MHz n78 each)",
        ("China Telecom or China Unicom",),
        round(_CTCU_SHARE / 2.0, 3),
        None,
        "separate",
    ),
    "cm": Network(
        "cm",
        "China Mobile (160 MHz n41, 64T64R)",
        ("China Mobile",),
        round(_CM_SHARE, 3),
        "n41",
        "single",
    ),
    "ctcu": Network(
        "ctcu",
        "China Telecom + China Unicom shared RAN (200 MHz n78)",
        ("China Telecom", "China Unicom"),
        round(_CTCU_SHARE, 3),
        "n78-shared",
        "shared",
    ),
}
#: Share of China's mobile users carried by the network of each one-network
#: ``operators`` value [-].
OPERATOR_SHARES = {k: NETWORKS[k].user_share for k in ("single", "shared", "separate")}

#: The networks each ``operators`` value plans, in order.
SCENARIOS: dict[str, tuple[str, ...]] = {
    "single": ("single",),
    "shared": ("shared",),
    "separate": ("separate",),
    "china-2020": ("cm", "ctcu"),
}


def networks_for(config: PlanConfig) -> tuple[Network, ...]:
    """The networks ``config.operators`` plans, with the overrides of
    ``config.networks`` (user share, band) applied."""
    out = []
    for name in SCENARIOS[config.operators]:
        net = NETWORKS[name]
        over = config.networks.get(name)
        if over is not None:
            changes = {k: v for k, v in over.model_dump().items() if v is not None}
            net = replace(net, **changes)
        out.append(net)
    return tuple(out)


def network_config(config: PlanConfig, network: Network) -> PlanConfig:
    """``config`` as one network plans it: its n78 layers on the network's band
    and ``operators`` set to the network's cost model."""
    layers = config.layers
    if network.band is not None:
        layers = {
            k: v.model_copy(update={"band": network.band}) if v.band == "n78" else v
            for k, v in config.layers.items()
        }
    return config.model_copy(update={"layers": layers, "operators": network.sharing})
