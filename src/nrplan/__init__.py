"""nrplan: open 5G NR radio network planning, from one city to a whole nation."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
