"""Cells of a ``sites.csv`` and the serving cell of each measurement.

A cell is one row (sector) of ``sites.csv``. Its identifier is the optional
``cell_id`` column, or by default ``<site_id>-<k>`` for the k-th row of that
site (1-based, in file order). When ``sites.csv`` carries ``pci`` and
``arfcn`` columns a measurement may name its cell by (PCI, ARFCN) instead;
PCIs are reused, so when several cells share the pair the one whose site is
nearest to the measurement is taken (the usual drive-test convention).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nrplan.errors import NrplanInputError

__all__ = ["cell_ids", "match_cells"]


def cell_ids(sites: pd.DataFrame) -> np.ndarray:
    """Cell identifier of every row of ``sites`` (see the module docstring).

    Raises
    ------
    NrplanInputError
        A ``cell_id`` column with an empty or repeated value.
    """
    if "cell_id" in sites.columns:
        ids = sites["cell_id"].map(lambda v: "" if pd.isna(v) else str(v).strip()).to_numpy(str)
        empty = np.flatnonzero(ids == "")
        if empty.size:
            raise NrplanInputError(f"cell_id (row {empty[0] + 1})", "", "a non-empty identifier")
        u, counts = np.unique(ids, return_counts=True)
        if (counts > 1).any():
            dup = u[counts > 1][0]
            raise NrplanInputError("cell_id", dup, "one row per cell_id in sites.csv")
        return ids
    k = sites.groupby("site_id", sort=False).cumcount().to_numpy() + 1
    return np.array([f"{s}-{i}" for s, i in zip(sites["site_id"].astype(str), k, strict=True)])


def _pci_arfcn_key(pci, arfcn) -> np.ndarray:
    p = np.asarray(pci, dtype=float)
    a = np.asarray(arfcn, dtype=float)
    ok = np.isfinite(p) & np.isfinite(a)
    key = np.full(p.shape, -1, dtype=np.int64)
    key[ok] = p[ok].astype(np.int64) * 10_000_000 + a[ok].astype(np.int64)
    return key


def match_cells(
    meas: pd.DataFrame,
    sites: pd.DataFrame,
    mx: np.ndarray,
    my: np.ndarray,
    sx: np.ndarray,
    sy: np.ndarray,
) -> np.ndarray:
    """Row of ``sites`` serving each measurement (-1 = unknown cell).

    Parameters
    ----------
    meas : pandas.DataFrame
        Canonical measurement columns (``cell_id``, or ``pci`` and ``arfcn``).
    sites : pandas.DataFrame
        Validated ``sites.csv``.
    mx, my, sx, sy : ndarray
        Measurement and sector positions in one metric CRS [m] (for PCI reuse).

    Raises
    ------
    NrplanInputError
        The measurements name no cell, or name cells by PCI/ARFCN and
        ``sites.csv`` has no ``pci``/``arfcn`` columns.
    """
    if "cell_id" in meas.columns:
        ids = cell_ids(sites)
        lut = {c: i for i, c in enumerate(ids)}
        return np.array([lut.get(c, -1) if c is not None else -1 for c in meas["cell_id"]])
    if "pci" in meas.columns and "arfcn" in meas.columns:
        if not {"pci", "arfcn"} <= set(sites.columns):
            raise NrplanInputError(
                "sites.csv",
                "no pci/arfcn columns",
                "pci and arfcn columns in sites.csv",
                message="the measurements name cells by PCI + ARFCN but sites.csv has no pci "
                "and arfcn columns; add them, or give the measurements a cell_id column",
            )
        skey = _pci_arfcn_key(
            pd.to_numeric(sites["pci"], errors="coerce"),
            pd.to_numeric(sites["arfcn"], errors="coerce"),
        )
        mkey = _pci_arfcn_key(meas["pci"], meas["arfcn"])
        out = np.full(len(meas), -1, dtype=np.int64)
        best = np.full(len(meas), np.inf)
        for j in np.flatnonzero(skey >= 0):  # one pass per cell: PCI reuse -> nearest site
            sel = mkey == skey[j]
            if not sel.any():
                continue
            d = np.hypot(mx[sel] - sx[j], my[sel] - sy[j])
            idx = np.flatnonzero(sel)
            closer = d < best[idx]
            out[idx[closer]] = j
            best[idx[closer]] = d[closer]
        return out
    raise NrplanInputError(
        "--measurements",
        "no serving cell",
        "a cell_id column, or pci + arfcn columns",
        message="the measurements name no serving cell: give a cell_id column (matching "
        "sites.csv cell_id, default <site_id>-<k>) or pci + arfcn columns",
    )
