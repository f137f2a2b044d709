"""The engine's shortcuts give exactly what the plain expressions give."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.engine.coverage import _best_rank_rate
from nrplan.engine.culling import _wrap180
from nrplan.engine.predict import _evm_where_defined, evm_limited_sinr_db, raster_full
from nrplan.radio.bands import get_band
from nrplan.radio.nr import user_rate_mbps


@pytest.mark.parametrize("shape", [(7, 5), (2100, 2100)])  # np.full and small-page mapping
@pytest.mark.parametrize(("fill", "dtype"), [(np.nan, np.float32), (-1, np.int32), (False, bool)])
def test_raster_full_is_np_full(shape, fill, dtype):
    a = raster_full(shape, fill, dtype)
    b = np.full(shape, fill, dtype=dtype)
    assert a.shape == b.shape and a.dtype == b.dtype and a.flags.c_contiguous
    assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    a[0, 0] = 1  # writeable
    assert a[0, 0] == 1


def test_wrap180_is_python_modulo_bitwise():
    rng = np.random.default_rng(0)
    edges = [-900.0, -720.0, -540.0, -540.5, -180.0, -0.0, 0.0, 180.0, 359.99999999999994,
             360.0, 539.9999999999999, 540.0, 900.0, 1e-300, -1e-300]  # fmt: skip
    x = np.concatenate([edges, rng.uniform(-1000.0, 1000.0, 20000), np.arange(-720, 721, 0.25)])
    got = np.array([_wrap180(float(v)) for v in x])
    want = np.array([(float(v) + 180.0) % 360.0 - 180.0 for v in x])
    assert np.array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))


@pytest.mark.parametrize("method", ["cqi-table2", "shannon"])
@pytest.mark.parametrize("direction", ["dl", "ul"])
def test_best_rank_rate_equals_rank_loop(method, direction):
    band = get_band("n78")
    rng = np.random.default_rng(1)
    sinr = np.concatenate([rng.uniform(-15.0, 45.0, 70000), [np.inf, -np.inf]])  # > 2 blocks
    share = 0.3 if direction == "ul" else 1.0
    max_l = band.max_dl_layers if direction == "dl" else band.max_ul_layers
    want = np.zeros(sinr.shape)
    for layers in range(1, max_l + 1):
        r = np.zeros(sinr.shape)
        for bw in band.carriers_mhz:
            r += user_rate_mbps(
                sinr - 10.0 * np.log10(layers), bw, band.scs_khz, layers, band.tdd_pattern,
                direction, 0.0, method=method, prb_share=share,
            )  # fmt: skip
        want = np.maximum(want, r)
    got = _best_rank_rate(sinr, band, direction, method, share)
    assert np.array_equal(got, want)
    assert _best_rank_rate(sinr[:0], band, direction, method, share).shape == (0,)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_evm_on_defined_pixels_only_is_the_same(dtype):
    rng = np.random.default_rng(2)
    x = rng.uniform(-20.0, 60.0, (50, 40)).astype(dtype)
    x[rng.random(x.shape) < 0.4] = np.nan
    x[0, :3] = [np.inf, -np.inf, 0.0]
    got = _evm_where_defined(x, 3.5)
    want = evm_limited_sinr_db(x, 3.5)
    assert got.dtype == want.dtype
    assert np.array_equal(got, want, equal_nan=True)
    assert _evm_where_defined(x, None) is x
