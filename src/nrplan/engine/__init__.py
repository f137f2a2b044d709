"""Raster prediction engine: RSRP, best server, SINR, rates and coverage per pixel.

Public API: :class:`Sectors`, :class:`PredictionConfig`, :class:`Prediction`,
:func:`predict` (fast, culled, compiled) and :func:`predict_reference` (plain
NumPy, exhaustive, for tests).
"""

from nrplan.engine.config import PredictionConfig
from nrplan.engine.predict import OUTPUTS, Prediction, estimate_memory_bytes, predict
from nrplan.engine.reference import predict_reference
from nrplan.engine.sectors import Sectors

__all__ = [
    "OUTPUTS",
    "Prediction",
    "PredictionConfig",
    "Sectors",
    "estimate_memory_bytes",
    "predict",
    "predict_reference",
]
