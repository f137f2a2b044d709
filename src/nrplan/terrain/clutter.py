"""Clutter maps: class codes -> nrplan morphology, clutter heights, terminal loss.

A clutter mapping (TOML) gives, per class code of the user's land-use raster,

- ``morphology``: the nrplan morphology class (``nrplan.morphology``: its
  TR 38.901 scenario, UT height and indoor share), or ``"none"`` (outside);
- ``clutter_type`` and ``clutter_height_m``: the ITU-R P.2108-1 (2019) 3.1
  clutter type (``water``, ``open``, ``suburban``, ``urban``, ``trees``,
  ``dense_urban``) and representative height R;
- ``terminal_loss`` (bool): whether the P.2108-1 3.1 terminal clutter loss
  applies to a terminal in this class (when the run asks for it);
- ``loss_db`` (optional, default 0): a fixed extra loss at the terminal [dB].

The default (:data:`DEFAULT_MAPPING`, ``nrplan/data/clutter_worldcover.toml``)
maps the ESA WorldCover 10 m v200 codes; its header cites the sources.

ITU-R P.2108-1 3.1 (height-gain terminal correction model), for a terminal at
height ``h`` below the clutter height ``R`` (0 at or above it), f in GHz:

- water/sea, open/rural (eq. 2b): ``A_h = -K_h2 log10(h / R)``,
  ``K_h2 = 21.8 + 6.2 log10(f)``;
- suburban, urban, trees/forest, dense urban (eq. 2a): ``A_h = J(nu) - 6.03``
  with ``J`` of eq. (3) (the P.526 knife edge), ``nu = K_nu sqrt(h_dif
  theta_clut)``, ``h_dif = R - h``, ``theta_clut = atan(h_dif / w_s)`` [deg],
  ``K_nu = 0.342 sqrt(f)``, street width ``w_s = 27 m``.

The recommendation covers 0.03-3 GHz; above 3 GHz the 3 GHz value is used
(the loss grows with frequency, so this understates it rather than invent an
extrapolation).

References
----------
ITU-R P.2108-1 (2019) 3.1, eqs. (2a), (2b), (3), Table 2; ESA WorldCover
10 m 2021 v200 Product User Manual (legend).
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from nrplan.errors import NrplanInputError, check_choice, check_range
from nrplan.morphology import MORPHOLOGIES, morphology_by_name

__all__ = [
    "CLUTTER_TYPES",
    "DEFAULT_MAPPING",
    "ClutterClass",
    "ClutterMapping",
    "apply_clutter",
    "obstacle_heights",
    "p2108_terminal_loss_db",
    "read_clutter_mapping",
]

CLUTTER_TYPES = ("water", "open", "suburban", "urban", "trees", "dense_urban")
"""ITU-R P.2108-1 Table 2 clutter types."""

_HEIGHT_GAIN_TYPES = ("water", "open")
P2108_F_MAX_GHZ = 3.0
P2108_STREET_WIDTH_M = 27.0
DEFAULT_MAPPING = "clutter_worldcover.toml"


@dataclass(frozen=True)
class ClutterClass:
    """One class of a clutter mapping (see the module docstring)."""

    code: int
    name: str
    morphology: int
    clutter_type: str
    clutter_height_m: float
    terminal_loss: bool
    loss_db: float = 0.0


@dataclass(frozen=True)
class ClutterMapping:
    """A parsed clutter mapping: classes by code and its provenance."""

    classes: dict[int, ClutterClass]
    scheme: str
    source: str
    path: str


def p2108_terminal_loss_db(f_ghz: float, h_m: float, r_m: float, clutter_type: str) -> float:
    """ITU-R P.2108-1 3.1 terminal clutter loss A_h [dB] (module docstring).

    Parameters
    ----------
    f_ghz : float
        Frequency [GHz]; above 3 GHz the 3 GHz value.
    h_m : float
        Terminal antenna height [m].
    r_m : float
        Representative clutter height R [m].
    clutter_type : str
        One of :data:`CLUTTER_TYPES`.
    """
    ctype = check_choice("clutter_type", clutter_type, CLUTTER_TYPES)
    f = min(float(f_ghz), P2108_F_MAX_GHZ)
    if h_m >= r_m:
        return 0.0
    if ctype in _HEIGHT_GAIN_TYPES:
        k_h2 = 21.8 + 6.2 * math.log10(f)
        return -k_h2 * math.log10(h_m / r_m)
    h_dif = r_m - h_m
    theta = math.degrees(math.atan(h_dif / P2108_STREET_WIDTH_M))
    nu = 0.342 * math.sqrt(f) * math.sqrt(h_dif * theta)
    a = nu - 0.1
    return 6.9 + 20.0 * math.log10(math.sqrt(a * a + 1.0) + a) - 6.03


def _parse_class(code_key: str, body, where: str) -> ClutterClass:
    try:
        code = int(code_key)
    except ValueError:
        raise NrplanInputError(f"{where} classes", code_key, "integer class codes") from None
    if not isinstance(body, dict):
        raise NrplanInputError(f"{where} classes.{code}", body, "a table")
    f = f"{where} classes.{code}"
    unknown = set(body) - {
        "name", "morphology", "clutter_type", "clutter_height_m", "terminal_loss", "loss_db"
    }  # fmt: skip
    if unknown:
        raise NrplanInputError(f, sorted(unknown)[0], "keys name, morphology, clutter_type, "
                               "clutter_height_m, terminal_loss, loss_db")  # fmt: skip
    morph_name = str(body.get("morphology", ""))
    if morph_name.strip().lower() == "none":
        morph = 0
    else:
        morph = morphology_by_name(morph_name).code
    ctype = check_choice(f"{f}.clutter_type", body.get("clutter_type", "open"), CLUTTER_TYPES)
    height = body.get("clutter_height_m", 10.0)
    check_range(f"{f}.clutter_height_m", height, 0.0, 200.0, unit="m")
    tl = body.get("terminal_loss", False)
    if not isinstance(tl, bool):
        raise NrplanInputError(f"{f}.terminal_loss", tl, "true or false")
    loss = body.get("loss_db", 0.0)
    check_range(f"{f}.loss_db", loss, 0.0, 60.0, unit="dB")
    return ClutterClass(code, str(body.get("name", code)), morph, ctype, float(height), tl,
                        float(loss))  # fmt: skip


def read_clutter_mapping(path: str | os.PathLike[str] | None = None) -> ClutterMapping:
    """Read a clutter mapping TOML (None = the default ESA WorldCover mapping)."""
    where = "clutter-map"
    if path is None:
        ref = resources.files("nrplan") / "data" / DEFAULT_MAPPING
        text, src = ref.read_text(encoding="utf-8"), str(ref)
    else:
        p = Path(path)
        if not p.is_file():
            raise NrplanInputError(where, str(p), "an existing TOML file")
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            text = "\x00"  # reported as invalid TOML below
        src = str(p.resolve())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NrplanInputError(
            where, src, "valid TOML", message=f"{where} {src}: not valid TOML: {exc}"
        ) from None
    classes = data.get("classes")
    if not isinstance(classes, dict) or not classes:
        raise NrplanInputError(where, src, "a TOML file with a [classes.<code>] table per class")
    parsed = {}
    for key, body in classes.items():
        c = _parse_class(str(key), body, where)
        parsed[c.code] = c
    return ClutterMapping(parsed, str(data.get("scheme", "")), str(data.get("source", "")), src)


def apply_clutter(
    classes: np.ndarray,
    mapping: ClutterMapping,
    morphology: np.ndarray,
    *,
    terminal_loss: bool = False,
    f_ghz: float | None = None,
    h_ut_m: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Per-pixel morphology, clutter height and terminal loss from a class raster.

    Parameters
    ----------
    classes : ndarray of int
        Class code per pixel (-1 = nodata: the pixel keeps ``morphology``).
    mapping : ClutterMapping
        The class table.
    morphology : ndarray of uint8
        Morphology before the clutter map (0 = outside the area: stays 0).
    terminal_loss : bool
        Compute the P.2108-1 3.1 terminal loss (classes with ``terminal_loss``)
        plus each class's ``loss_db``.
    f_ghz : float, optional
        Frequency of the terminal loss [GHz] (required with ``terminal_loss``).
    h_ut_m : float, optional
        Terminal height [m]; None = each morphology's ``h_ut_m``.

    Returns
    -------
    (morphology uint8, clutter height float64, terminal loss float32 or None)
        The clutter height is 0 where the raster has no class.
    """
    inside = morphology != 0
    present = np.unique(classes[inside & (classes >= 0)])
    missing = [int(c) for c in present if int(c) not in mapping.classes]
    if missing:
        raise NrplanInputError(
            "clutter",
            missing[0],
            f"class codes of the clutter mapping {sorted(mapping.classes)} ({mapping.path})",
        )
    morph = np.array(morphology, dtype=np.uint8, copy=True)
    height = np.zeros(morph.shape, dtype=np.float64)
    loss = np.zeros(morph.shape, dtype=np.float32) if terminal_loss else None
    if terminal_loss and f_ghz is None:
        raise NrplanInputError("f_ghz", f_ghz, "a frequency for the terminal clutter loss")
    for code in present:
        cc = mapping.classes[int(code)]
        sel = inside & (classes == code)
        morph[sel] = cc.morphology
        height[sel] = cc.clutter_height_m
        if loss is not None:
            extra = cc.loss_db
            if cc.terminal_loss and cc.morphology:
                h = h_ut_m if h_ut_m is not None else MORPHOLOGIES[cc.morphology].h_ut_m
                extra += p2108_terminal_loss_db(f_ghz, h, cc.clutter_height_m, cc.clutter_type)
            loss[sel] = extra
    return morph, height, loss


def obstacle_heights(ground: np.ndarray, surface: np.ndarray, clutter_h: np.ndarray) -> np.ndarray:
    """Profile heights from a DSM: ground plus the part of the surface that rises
    above the class's clutter height, ``ground + max(surface - ground - R, 0)``.

    The TR 38.901 scenario already accounts for the clutter typical of its
    environment (buildings of a UMa city, the terminal's surroundings), so only
    what stands above it (a tower block in a suburb, a ridge of trees taller
    than R) is taken as a terrain obstacle.
    """
    excess = np.maximum(surface - ground - clutter_h, 0.0)
    return ground + excess
