"""The tuned model file (TOML) written by ``nrplan tune``, read by ``--model``.

Layout (every key checked on load; unknown keys and out-of-range values are
refused with a one-line error)::

    format = "nrplan-tuned-model"
    version = 1
    [data]       # where it came from: file names, SHA-256, row and bin counts
    [fit]        # loss, scale, priors, in-sample statistics
    [cv]         # grouped k-fold cross-validation: held-out mean/std/RMSE
    [classes.<morphology name>]
    code = 2
    intercept_db = 3.1              # a: added path loss a + b log10(d_2d / 1 m)
    slope_db_per_decade = -1.2      # b
    se_intercept_db = ...           # standard errors and 95 % intervals
    ci95_intercept_db = [lo, hi]
    [cells."<cell_id>"]
    offset_db = 2.0                 # added to the cell's power_dbm (EIRP error)

Only ``classes.*.code``, ``intercept_db``, ``slope_db_per_decade`` and
``cells.*.offset_db`` change predictions; the rest documents the fit.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from nrplan.engine.config import CORRECTION_BOUNDS
from nrplan.errors import NrplanInputError
from nrplan.io.toml import read_toml
from nrplan.morphology import MORPHOLOGIES

__all__ = ["FORMAT", "TunedModel", "file_sha256", "load_tuned_model", "render_toml"]

FORMAT = "nrplan-tuned-model"
CELL_OFFSET_BOUND_DB = 20.0

_TOP = {"format", "version", "created_by", "data", "fit", "cv", "classes", "cells"}
_CLASS_KEYS = {
    "code",
    "intercept_db",
    "slope_db_per_decade",
    "se_intercept_db",
    "se_slope_db_per_decade",
    "ci95_intercept_db",
    "ci95_slope_db_per_decade",
    "cov_intercept_slope",
    "n_bins",
}
_CELL_KEYS = {"offset_db", "se_db", "ci95_db", "n_bins"}
_INFO_KEYS = {
    "data": {
        "sites_file", "sites_sha256", "measurements_file", "measurements_sha256", "rows_read",
        "rows_used", "rows_dropped", "dropped", "bins", "bin", "bin_mean", "default_morphology",
        "crs", "clutter",
    },
    "fit": {
        "method", "f_scale", "scale_db", "converged", "cell_offsets", "prior_intercept_db",
        "prior_slope_db_per_decade", "prior_cell_db", "se_method", "cluster_side_m",
        "n_clusters", "n_bins", "in_sample_rmse_db", "in_sample_mean_error_db",
        "untuned_rmse_db", "untuned_mean_error_db", "time_s",
    },
    "cv": {
        "folds", "grouped_by", "seed", "n_bins", "mean_error_db", "std_db", "rmse_db",
        "untuned_mean_error_db", "untuned_rmse_db",
    },
}  # fmt: skip


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class TunedModel:
    """The parts of a tuned model file that change a prediction, and its provenance."""

    corrections: dict[int, tuple[float, float]]
    cell_offsets_db: dict[str, float]
    path: str = ""
    sha256: str = ""
    cv_rmse_db: float | None = None
    cv: dict = field(default_factory=dict)

    def apply(self, config):
        """``config`` (a PredictionConfig) with the class corrections."""
        return replace(config, pathloss_corrections=self.corrections or None)

    def correction_for(
        self, scenario: str, class_name: str | None = None
    ) -> tuple[str, float, float]:
        """The class correction to apply to a single-scenario plan (``nrplan private``).

        A private site has one TR 38.901 scenario, not a morphology map: the
        correction taken is that of the tuned class named ``class_name``, or,
        without it, of the only tuned class whose morphology uses ``scenario``.

        Returns
        -------
        tuple
            ``(class name, a [dB], b [dB/decade])``.

        Raises
        ------
        NrplanInputError
            Unknown class, no class of that scenario, or several (then
            ``class_name`` must choose).
        """

        names = {MORPHOLOGIES[c].name: c for c in self.corrections}
        if class_name is not None:
            if class_name not in names:
                raise NrplanInputError(
                    "--model-class", class_name, f"a class of {self.path or 'the model'}: "
                    f"{', '.join(sorted(names)) or 'none'}",
                )  # fmt: skip
            code = names[class_name]
        else:
            same = [n for n, c in names.items() if MORPHOLOGIES[c].scenario == scenario]
            if len(same) != 1:
                raise NrplanInputError(
                    "--model", self.path or "tuned model",
                    f"one tuned class of scenario {scenario!r} (found "
                    f"{', '.join(sorted(same)) or 'none'}; name one with --model-class)",
                )  # fmt: skip
            code = names[same[0]]
        a, b = self.corrections[code]
        return MORPHOLOGIES[code].name, float(a), float(b)

    def describe(self) -> dict:
        """For run summaries: file, checksum and cross-validated error."""
        return {
            "file": self.path,
            "sha256": self.sha256,
            "cv_rmse_db": self.cv_rmse_db,
            "cv": self.cv,
            "classes": {str(k): list(v) for k, v in self.corrections.items()},
            "cells_with_offset": len(self.cell_offsets_db),
        }


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return '"nan"'
        return repr(round(v, 6))
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def _key(k) -> str:
    k = str(k)
    if k and all(ch.isalnum() or ch in "_-" for ch in k):
        return k
    return _toml_value(k)


def render_toml(doc: dict, comment: str = "") -> str:
    """A two-level dict (tables of scalars, and ``classes``/``cells`` tables of tables) as TOML."""
    lines = [f"# {line}" for line in comment.splitlines()] if comment else []
    for k, v in doc.items():
        if not isinstance(v, dict) and v is not None:
            lines.append(f"{_key(k)} = {_toml_value(v)}")
    for k, v in doc.items():
        if not isinstance(v, dict):
            continue
        if v and all(isinstance(x, dict) for x in v.values()):
            for sub, tab in v.items():
                lines.append(f"\n[{_key(k)}.{_key(sub)}]")
                lines += [f"{_key(a)} = {_toml_value(b)}" for a, b in tab.items() if b is not None]
        else:
            lines.append(f"\n[{_key(k)}]")
            lines += [f"{_key(a)} = {_toml_value(b)}" for a, b in v.items() if b is not None]
    return "\n".join(lines) + "\n"


def _num(where: str, v, lo: float, hi: float, unit: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise NrplanInputError(where, v, f"a number in [{lo:g}, {hi:g}] {unit}".strip())
    if not lo <= v <= hi:
        raise NrplanInputError(where, v, f"a number in [{lo:g}, {hi:g}] {unit}".strip())
    return float(v)


def load_tuned_model(path: str | os.PathLike[str]) -> TunedModel:
    """Read and check a tuned model file (see the module docstring).

    Raises
    ------
    NrplanInputError
        Missing or invalid TOML, wrong format, unknown keys, unknown
        morphology class, corrections outside
        :data:`nrplan.engine.config.CORRECTION_BOUNDS` or cell offsets beyond
        +-20 dB.
    """

    p = Path(path)
    doc = read_toml(p, "--model")
    field_ = f"--model {p.name}"
    unknown = sorted(set(doc) - _TOP)
    if unknown:
        raise NrplanInputError(f"{field_} key", unknown[0], ", ".join(sorted(_TOP)))
    if doc.get("format") != FORMAT:
        raise NrplanInputError(
            f"{field_} format", doc.get("format"), f'"{FORMAT}" (a file of nrplan tune)'
        )
    if doc.get("version") != 1:
        raise NrplanInputError(f"{field_} version", doc.get("version"), "1")
    for table, allowed in _INFO_KEYS.items():
        tab = doc.get(table, {})
        if not isinstance(tab, dict):
            raise NrplanInputError(f"{field_} {table}", tab, f"a table [{table}]")
        bad = sorted(set(tab) - allowed)
        if bad:
            raise NrplanInputError(f"{field_} {table} key", bad[0], ", ".join(sorted(allowed)))
    rmse = doc.get("cv", {}).get("rmse_db")
    if rmse is not None:
        _num(f"{field_} cv.rmse_db", rmse, 0.0, 100.0, "dB")
    by_name = {m.name: c for c, m in MORPHOLOGIES.items()}
    (alo, ahi), (blo, bhi) = CORRECTION_BOUNDS.values()
    corr: dict[int, tuple[float, float]] = {}
    classes = doc.get("classes", {})
    if not isinstance(classes, dict):
        raise NrplanInputError(f"{field_} classes", classes, "tables [classes.<morphology>]")
    for name, tab in classes.items():
        where = f"{field_} classes.{name}"
        if name not in by_name:
            raise NrplanInputError(where, name, f"a morphology class: {', '.join(by_name)}")
        if not isinstance(tab, dict):
            raise NrplanInputError(where, tab, "a table")
        bad = sorted(set(tab) - _CLASS_KEYS)
        if bad:
            raise NrplanInputError(f"{where} key", bad[0], ", ".join(sorted(_CLASS_KEYS)))
        if tab.get("code", by_name[name]) != by_name[name]:
            raise NrplanInputError(f"{where}.code", tab.get("code"), f"{by_name[name]} ({name})")
        a = _num(f"{where}.intercept_db", tab.get("intercept_db"), alo, ahi, "dB")
        b = _num(
            f"{where}.slope_db_per_decade", tab.get("slope_db_per_decade"), blo, bhi, "dB/decade"
        )
        corr[by_name[name]] = (a, b)
    cells = doc.get("cells", {})
    if not isinstance(cells, dict):
        raise NrplanInputError(f"{field_} cells", cells, 'tables [cells."<cell_id>"]')
    offsets: dict[str, float] = {}
    for cid, tab in cells.items():
        where = f"{field_} cells.{cid}"
        if not isinstance(tab, dict):
            raise NrplanInputError(where, tab, "a table")
        bad = sorted(set(tab) - _CELL_KEYS)
        if bad:
            raise NrplanInputError(f"{where} key", bad[0], ", ".join(sorted(_CELL_KEYS)))
        b = CELL_OFFSET_BOUND_DB
        offsets[str(cid)] = _num(f"{where}.offset_db", tab.get("offset_db"), -b, b, "dB")
    cv = doc.get("cv", {}) if isinstance(doc.get("cv"), dict) else {}
    rmse = cv.get("rmse_db")
    return TunedModel(
        corrections=corr,
        cell_offsets_db=offsets,
        path=str(p),
        sha256=file_sha256(p),
        cv_rmse_db=float(rmse) if isinstance(rmse, (int, float)) else None,
        cv=dict(cv),
    )
