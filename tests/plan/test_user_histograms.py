"""The compiled user histograms against the model's formulas written out in
NumPy (the module docstring of nrplan.plan.users), and their helpers against
SciPy and np.histogram."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtr, ndtri

from nrplan.morphology import MORPHOLOGIES
from nrplan.plan.histograms import HIST_EDGES
from nrplan.plan.user_kernels import _bin, _bin_table, norm_ppf
from nrplan.plan.users import (
    _GH_W,
    _GH_X,
    SAMPLES_PER_USER_TYPE,
    LinkArrays,
    UserModel,
    user_mix,
)
from nrplan.radio.bands import get_band


def _lin(x):
    return 10.0 ** (np.asarray(x, np.float64) / 10.0)


def _evm(model, x):
    return -10.0 * np.log10(10.0 ** (-x / 10.0) + model.evm2)


def _add(out, key, values, w, edges):
    e = edges[key]
    v = np.clip(np.nan_to_num(np.ravel(values), nan=e[0], neginf=e[0]), e[0], e[-1])
    h, _ = np.histogram(v, bins=e, weights=np.ravel(w))
    out[key] += h


def _reference_histograms(model: UserModel, la: LinkArrays, weights, edges):
    """The users' samples of the module docstring, array by array."""
    out = {key: np.zeros(len(e) - 1) for key, e in edges.items()}
    s2, i_rest, n_re, i_p, n_p, ul0 = model._pixel_arrays(la)
    k = SAMPLES_PER_USER_TYPE
    uk = ((np.arange(k) + 0.5) / k)[None, None, :, None]
    tt = np.arange(3)[:, None, None, None]
    xc, wq = _GH_X[None, :, None, None], _GH_W[None, :, None, None]
    g = 10.0 ** (float(model.s_eff) / 10.0)
    code = la.code
    s_d = 2.0 * model.sigma_i[code]
    e = model.body + model.loss[tt, code] + xc * model.sigma_c[tt, code]
    s1 = la.rsrp_dbm
    delta = s1 - s2
    r = i_rest + n_re * _lin(e)
    s1l, s2l = _lin(s1), np.where(delta < 200.0, _lin(s2), 0.0)
    disc = np.sqrt(g * g * r * r + 4.0 * g * s2l * s1l)
    a = np.minimum(
        np.minimum(delta, 2.0 * (s1 - e - model.rsrp_thr)),
        20.0 * np.log10(2.0 * s1l / (g * r + disc)),
    )
    with np.errstate(divide="ignore"):
        b = np.where(
            s2l > 0,
            np.maximum(
                np.maximum(delta, 2.0 * (model.rsrp_thr + e - s2)),
                20.0 * np.log10((g * r + disc) / np.where(s2l > 0, 2.0 * s2l, 1.0)),
            ),
            np.inf,
        )
    w_t = weights * model.share[tt, code] * wq / k
    d_all = s_d * ndtri(uk)
    on1 = d_all <= delta
    s1d, s2d = _lin(s1 - d_all / 2.0), _lin(s2 + d_all / 2.0) * (delta < 200.0)
    with np.errstate(divide="ignore"):
        ss = 10.0 * np.log10(np.where(on1, s1d, s2d) / (np.where(on1, s2d, s1d) + r))
    pa, pb = ndtr(a / s_d), 1.0 - ndtr(b / s_d)
    pc = pa + pb
    q = uk * pc
    d_cov = np.where(
        q < pa,
        s_d * ndtri(np.clip(q, 1e-300, 1.0)),
        s_d * ndtri(np.clip(ndtr(b / s_d) + (q - pa), 0.0, 1.0 - 1e-16)),
    )
    shift = np.where(d_cov <= delta, -d_cov / 2.0, -delta + d_cov / 2.0)
    dl = la.signal_dbm - 10.0 * np.log10(i_p + n_p * _lin(e)) + shift
    ul = ul0 - e + shift
    ss, dl, ul = _evm(model, ss), _evm(model, dl), _evm(model, ul)
    w_all = np.broadcast_to(w_t, ss.shape)
    w_cov = np.broadcast_to(w_t * pc, dl.shape)
    _add(out, "ss_sinr_db", ss, w_all, edges)
    _add(out, "ss_sinr_outdoor_db", ss[0], w_all[0], edges)
    _add(out, "pdsch_sinr_db", dl, w_cov, edges)
    band = np.broadcast_to(la.band, dl.shape)
    keep = 1.0 - la.load
    r_dl, r_ul = np.empty(dl.shape), np.empty(dl.shape)
    for bi in np.unique(la.band):
        sel = band == bi
        r_dl[sel] = model.tables[int(bi)].rate(dl[sel], "dl")
        r_ul[sel] = model.tables[int(bi)].rate(ul[sel], "ul")
    _add(out, "dl_mbps", r_dl * keep, w_cov, edges)
    _add(out, "ul_mbps", r_ul * keep, w_cov, edges)
    return out


def _random_links(n: int, seed: int) -> tuple[UserModel, LinkArrays, np.ndarray]:
    mixes = {c: user_mix(c, 3.5, 30.0) for c in MORPHOLOGIES}
    model = UserModel(mixes, [get_band("n78"), get_band("n41")], -110.0, -3.0, 3.0, 4.0, 0.25, 3.5)
    rng = np.random.default_rng(seed)
    rsrp = rng.uniform(-135.0, -55.0, n)
    margin = np.where(rng.random(n) < 0.05, np.nan, rng.exponential(5.0, n))
    la = LinkArrays(
        code=rng.choice(np.array(sorted(MORPHOLOGIES)), n),
        band=rng.integers(0, 2, n),
        rsrp_dbm=rsrp,
        ss_in_dbm=rsrp - rng.uniform(-8.0, 30.0, n),
        margin_db=margin,
        signal_dbm=rsrp + 38.0 + rng.normal(0.0, 2.0, n),
        interference_dbm=rsrp + 38.0 - rng.uniform(-5.0, 35.0, n),
        noise_dbm=np.full(n, -97.0),
        coupling_db=rsrp - 15.0,
        load=rng.uniform(0.0, 0.6, n),
    )
    return model, la, rng.uniform(0.0, 50.0, n)


@pytest.mark.parametrize("seed", [0, 1])
def test_compiled_histograms_equal_the_numpy_formulas(seed):
    model, la, w = _random_links(3000, seed)
    got = model.histograms(la, w, HIST_EDGES)
    ref = _reference_histograms(model, la, w, HIST_EDGES)
    for key in HIST_EDGES:
        assert got[key].sum() == pytest.approx(ref[key].sum(), rel=1e-12), key
        # Acklam's quantile (1.2e-9) may move a sample across a bin edge, rarely
        assert np.abs(got[key] - ref[key]).sum() <= 1e-6 * ref[key].sum(), key


def test_norm_ppf_against_scipy():
    q = np.concatenate([np.geomspace(1e-300, 0.5, 400), 1.0 - np.geomspace(1e-16, 0.5, 200)])
    got = np.array([norm_ppf(v) for v in q])
    assert np.allclose(got, ndtri(q), rtol=1.2e-9, atol=1e-12)
    assert norm_ppf(0.0) == -np.inf and norm_ppf(1.0) == np.inf


@pytest.mark.parametrize("key", sorted(HIST_EDGES))
def test_bin_counts_as_np_histogram(key):
    e = HIST_EDGES[key]
    lut, inv_h = _bin_table(e)
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.uniform(e[0] - 5.0, e[-1] + 5.0, 20_000), e, [np.nan, -np.inf]])
    got = np.bincount([_bin(v, e, lut, inv_h) for v in x], minlength=e.size - 1)
    clipped = np.clip(np.nan_to_num(x, nan=e[0], neginf=e[0]), e[0], e[-1])
    ref, _ = np.histogram(clipped, bins=e)
    assert np.array_equal(got, ref)
