"""Spatially correlated shadow fading, TR 38.901 clause 7.5 / 7.6.3.

Shadow fading is lognormal with the sigma of Table 7.4.1-1 and an exponential
autocorrelation R(d) = exp(-d / d_corr) with the decorrelation distance of
Table 7.5-6. :func:`correlated_field` draws such a field on a raster grid.

Method
------
Circulant embedding with FFT (Dietrich & Newsam 1997; Wood & Chan 1994): the
grid is embedded in a periodic (torus) grid padded by ``pad`` decorrelation
distances on each axis; the covariance exp(-r/d_corr) with minimum-image
distances is diagonalised by a 2D real FFT; white Gaussian noise is filtered
by the square root of that spectrum and the window is cut out. Cost
O(M log M) for the M padded pixels, memory about 16 bytes per padded pixel
(float32/complex64). Accuracy: inside the window the covariance equals
exp(-r/d_corr) exactly for pixel separations r < L/2 and is at most
exp(-pad) (= 0.0025 for the default pad = 6) in error beyond; tiny negative
eigenvalues of the embedding (the minimum-image kernel has a kink at L/2) are
set to zero and the spectrum is renormalised so the variance is exactly
sigma^2. The empirical lag-d_corr correlation matches e^-1 within sampling
error (see the tests).

References
----------
3GPP TR 38.901 V17.0.0, Table 7.5-6 (Part-1, -2, -3: correlation distances of
the large-scale parameters, SF row); Table 7.4.1-1 (sigma_SF); clause 7.6.3.1
(spatial consistency: exponential correlation function).
C. R. Dietrich and G. N. Newsam, "Fast and exact simulation of stationary
Gaussian processes through circulant embedding of the covariance matrix",
SIAM J. Sci. Comput. 18(4), 1997.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft

from nrplan.errors import NrplanInputError, check_choice, check_range

__all__ = [
    "SF_DECORRELATION_M",
    "SHADOWING_CORRELATION",
    "correlated_field",
    "decorrelation_distance",
]

SHADOWING_CORRELATION = 0.5
"""Correlation of the shadowing of one UT's links to different sites: each link's
shadowing is ``sqrt(rho) X_UT + sqrt(1 - rho) X_site`` (CEPT ECC SEAMCAT handbook,
OFDMA module 9.11: a = b = 1/sqrt(2), "assumed in most LTE studies"; the 0.5
inter-site correlation of 3GPP TR 36.942 / TR 25.942 system simulations)."""

SF_DECORRELATION_M: dict[str, dict[str, float]] = {
    "rma": {"los": 37.0, "nlos": 120.0, "o2i": 120.0},
    "uma": {"los": 37.0, "nlos": 50.0, "o2i": 7.0},
    "umi": {"los": 10.0, "nlos": 13.0, "o2i": 7.0},
    "inh-office": {"los": 10.0, "nlos": 6.0},
    "inf-sl": {"los": 10.0, "nlos": 10.0},
    "inf-dl": {"los": 10.0, "nlos": 10.0},
    "inf-sh": {"los": 10.0, "nlos": 10.0},
    "inf-dh": {"los": 10.0, "nlos": 10.0},
}
"""Shadow-fading correlation distance [m], TR 38.901 V17.0.0 Table 7.5-6 (Part-1: UMi,
UMa, RMa incl. O2I; Part-2: InH; Part-3: InF)."""

DEFAULT_PAD = 6.0
"""Padding of the circulant embedding in decorrelation distances (error <= exp(-6))."""


def decorrelation_distance(scenario: str, los: str) -> float:
    """Shadow-fading decorrelation distance.

    Parameters
    ----------
    scenario : str
        One of the keys of :data:`SF_DECORRELATION_M`.
    los : {"los", "nlos", "o2i"}
        Propagation state ("o2i" for UMa/UMi/RMa only).

    Returns
    -------
    float
        Correlation distance d_corr [m].

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.5-6, "Correlation distance in the horizontal
    plane [m]", SF row.
    """
    scenario = check_choice("scenario", scenario, SF_DECORRELATION_M)
    states = SF_DECORRELATION_M[scenario]
    return states[check_choice("los", los, states)]


def correlated_field(
    shape: tuple[int, int],
    pixel_m: float,
    d_corr_m: float,
    sigma_db: float,
    rng: np.random.Generator,
    *,
    pad: float = DEFAULT_PAD,
) -> np.ndarray:
    """Zero-mean Gaussian field with exponential autocorrelation on a grid.

    Parameters
    ----------
    shape : tuple of int
        Grid shape (rows, cols).
    pixel_m : float
        Pixel size [m].
    d_corr_m : float
        Decorrelation distance [m]: correlation exp(-d / d_corr_m) at distance d.
    sigma_db : float
        Standard deviation [dB].
    rng : numpy.random.Generator
        Random source (the only one used).
    pad : float, default 6
        Embedding padding in decorrelation distances (covariance error <= exp(-pad)).

    Returns
    -------
    numpy.ndarray
        float32 array of ``shape`` [dB].

    Notes
    -----
    Circulant embedding with FFT, see the module docstring for the method and its
    accuracy. ``d_corr_m`` well below ``pixel_m`` gives (nearly) white noise.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.5-6; clause 7.6.3.1. Dietrich & Newsam (1997).
    """
    if not isinstance(rng, np.random.Generator):
        raise NrplanInputError("rng", rng, "a numpy.random.Generator")
    try:
        ny, nx = (int(s) for s in shape)
    except (TypeError, ValueError):
        raise NrplanInputError("shape", shape, "(rows, cols) of positive integers") from None
    if ny < 1 or nx < 1:
        raise NrplanInputError("shape", shape, "(rows, cols) of positive integers")
    check_range("pixel_m", pixel_m, 0.0, None, lo_open=True, unit="m")
    check_range("d_corr_m", d_corr_m, 0.0, None, lo_open=True, unit="m")
    check_range("sigma_db", sigma_db, 0.0, None, unit="dB")
    check_range("pad", pad, 1.0, None)
    p = math.ceil(pad * d_corr_m / pixel_m)
    ly = scipy.fft.next_fast_len(ny + p, real=True)
    lx = scipy.fft.next_fast_len(nx + p, real=True)
    iy = np.arange(ly, dtype=np.float32)
    ix = np.arange(lx, dtype=np.float32)
    ry = np.minimum(iy, ly - iy) * np.float32(pixel_m)
    rx = np.minimum(ix, lx - ix) * np.float32(pixel_m)
    r = np.hypot(ry[:, None], rx[None, :])
    cov = np.exp(-r / np.float32(d_corr_m), dtype=np.float32)
    del r
    lam = scipy.fft.rfft2(cov, workers=-1).real
    del cov
    np.maximum(lam, 0.0, out=lam)
    # renormalise: mean eigenvalue = C(0) = 1 keeps the variance exactly sigma^2
    full_sum = 2.0 * lam.sum(dtype=np.float64) - lam[:, 0].sum(dtype=np.float64)
    if lx % 2 == 0:
        full_sum -= lam[:, -1].sum(dtype=np.float64)
    lam *= np.float32(ly * lx / full_sum)
    amp = np.sqrt(lam, out=lam)
    noise = rng.standard_normal((ly, lx), dtype=np.float32)
    spec = scipy.fft.rfft2(noise, workers=-1)
    del noise
    spec *= amp
    field = scipy.fft.irfft2(spec, s=(ly, lx), workers=-1)
    out = np.ascontiguousarray(field[:ny, :nx], dtype=np.float32)
    out *= np.float32(sigma_db)
    return out
