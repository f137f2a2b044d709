"""Column names of a drive-test file: canonical names, recognised headers, user mapping.

Every measurement file is read into the canonical columns below. A header is
recognised when, after normalisation (lower case, units in brackets or
parentheses removed, spaces, hyphens and dots turned into ``_``), it equals one
of the aliases of exactly one canonical column; anything else is named
explicitly with a mapping (``[columns]`` table of a TOML file, or
``--map canonical=Header``). Two headers that would both become the same
canonical column are refused (ambiguous); plain ``RSRP`` or ``Level`` is not
recognised because LTE and NR exports both use it.

=================  =========================================================
canonical          recognised headers (normalised)
=================  =========================================================
``lon``            lon, longitude, long, lng, gps_longitude
``lat``            lat, latitude, gps_latitude
``x``, ``y``       x, y, easting, northing (needs ``crs``)
``rsrp_dbm``       rsrp_dbm, ss_rsrp, ss_rsrp_dbm, nr_ss_rsrp, nr_ssrsrp,
                   ssb_rsrp, nr_rsrp, 5g_rsrp, nr5g_rsrp, serving_ss_rsrp
``sinr_db``        sinr_db, ss_sinr, nr_ss_sinr, ssb_sinr, nr_sinr, 5g_sinr
``throughput_mbps`` throughput_mbps, dl_throughput_mbps, dl_tput_mbps
``cell_id``        cell_id, cellid, cell, serving_cell, serving_cell_id
``pci``            pci, nr_pci, ss_pci, 5g_pci, serving_pci
``arfcn``          arfcn, nr_arfcn, nrarfcn, ssb_arfcn, 5g_arfcn
``time``           time, timestamp, datetime, date_time, utc_time
``route``          route, route_id, log, logfile
``morphology``     morphology, morphology_code, clutter_class
=================  =========================================================

These are the header spellings of common drive-test exports (e.g.
``Latitude``, ``Longitude``, ``SS-RSRP``, ``NR_SS_RSRP``, ``PCI``, ``ARFCN``)
after normalisation; ``docs/tuning.md`` lists them too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nrplan.errors import NrplanInputError

__all__ = ["ALIASES", "CANONICAL", "normalise", "resolve_columns"]

ALIASES: dict[str, tuple[str, ...]] = {
    "lon": ("lon", "longitude", "long", "lng", "gps_longitude"),
    "lat": ("lat", "latitude", "gps_latitude"),
    "x": ("x", "easting"),
    "y": ("y", "northing"),
    "rsrp_dbm": (
        "rsrp_dbm",
        "ss_rsrp",
        "ss_rsrp_dbm",
        "nr_ss_rsrp",
        "nr_ssrsrp",
        "ssb_rsrp",
        "nr_rsrp",
        "5g_rsrp",
        "nr5g_rsrp",
        "serving_ss_rsrp",
    ),
    "sinr_db": ("sinr_db", "ss_sinr", "nr_ss_sinr", "ssb_sinr", "nr_sinr", "5g_sinr"),
    "throughput_mbps": ("throughput_mbps", "dl_throughput_mbps", "dl_tput_mbps"),
    "cell_id": ("cell_id", "cellid", "cell", "serving_cell", "serving_cell_id"),
    "pci": ("pci", "nr_pci", "ss_pci", "5g_pci", "serving_pci"),
    "arfcn": ("arfcn", "nr_arfcn", "nrarfcn", "ssb_arfcn", "5g_arfcn"),
    "time": ("time", "timestamp", "datetime", "date_time", "utc_time"),
    "route": ("route", "route_id", "log", "logfile"),
    "morphology": ("morphology", "morphology_code", "clutter_class"),
}
"""Canonical column -> recognised normalised headers (see the module docstring)."""

CANONICAL = tuple(ALIASES)

_UNITS = re.compile(r"[\(\[][^\)\]]*[\)\]]")


def normalise(header: str) -> str:
    """Normalised header: lower case, units in brackets dropped, separators -> ``_``."""
    h = _UNITS.sub("", str(header)).strip().lower()
    h = re.sub(r"[\s\-\./]+", "_", h)
    return h.strip("_")


def resolve_columns(headers, mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map canonical names to the file's headers.

    Parameters
    ----------
    headers : iterable of str
        Column names of the file.
    mapping : mapping of str to str, optional
        Explicit ``canonical -> header`` pairs; they win over recognition.

    Returns
    -------
    dict
        ``canonical -> header`` for every canonical column found.

    Raises
    ------
    NrplanInputError
        A mapping names an unknown canonical column or a header the file does
        not have, or two headers are recognised as the same column.
    """
    headers = [str(h) for h in headers]
    out: dict[str, str] = {}
    for canon, header in (mapping or {}).items():
        if canon not in ALIASES:
            raise NrplanInputError("column mapping", canon, f"one of {', '.join(CANONICAL)}")
        if header not in headers:
            raise NrplanInputError(
                f"column mapping {canon}",
                header,
                f"a header of the file ({', '.join(headers[:12])})",
            )
        out[canon] = header
    taken = set(out.values())
    for canon, aliases in ALIASES.items():
        if canon in out:
            continue
        hits = [h for h in headers if h not in taken and normalise(h) in aliases]
        if len(hits) > 1:
            raise NrplanInputError(
                f"measurement column {canon}",
                ", ".join(hits),
                f"one header for {canon}; name it with --map {canon}=HEADER or a [columns] table",
            )
        if hits:
            out[canon] = hits[0]
    return out
