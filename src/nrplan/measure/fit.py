"""Robust, regularised fit of per-class path-loss corrections and per-cell offsets.

Model of a binned measurement ``i`` of cell ``j`` in class ``c`` at horizontal
distance ``d_i`` (``x_i = log10(max(d_i, d_min) / 1 m)``, ``d_min`` the
table's minimum distance)::

    RSRP_meas,i = RSRP_pred,i - (a_c + b_c x_i) + o_j + e_i

``a_c + b_c x`` is added to the path loss of class ``c`` (folded into the
engine's tables, :class:`nrplan.engine.PredictionConfig`
``pathloss_corrections``) and ``o_j`` to the transmit power of cell ``j``
(EIRP / antenna error). It is fitted as ``alpha_c + b_c (x - xbar_c)`` with
``xbar_c`` the class's mean ``x`` (well conditioned; ``a_c = alpha_c - b_c
xbar_c``) by :func:`scipy.optimize.least_squares` (started from the Huber
iteratively-reweighted least-squares solution of the same objective, computed
on the sparse normal equations, so that a million bins and 1,600 parameters
converge in a few evaluations) with the Huber loss
(``f_scale`` 1.345 on residuals standardised by a robust scale, 95 % efficient
under Gaussian errors: Huber, *Robust Statistics*, 1981) and Gaussian priors
``alpha_c ~ N(0, sigma_a)``, ``b_c ~ N(0, sigma_b)``, ``o_j ~ N(0, sigma_o)``
as extra residual rows (ridge): a class or a cell with few bins stays near the
untuned model. Bounds: ``|alpha_c| <= 40 dB``, ``|b_c| <= 20 dB/decade``,
``|o_j| <= 20 dB``.

Standard errors are the cluster-robust sandwich ``H^-1 M H^-1`` (Huber-White
with clusters): shadowing is spatially correlated (TR 38.901 V17.0.0 Table
7.5-6), so neighbouring bins are not independent; clusters are squares of
side ``10 d_corr`` (correlation exp(-10) across a cluster), which keeps the
intervals honest where the naive ``s^2 (J^T J)^-1`` would be far too narrow.
With few clusters the meat is the leave-one-cluster-out (CR3, jackknife)
form ``(G-1)/G sum_g d_g d_g^T``, ``d_g = (H - H_g)^-1 s_g`` (Bell and
McCaffrey, Survey Methodology 28(2), 2002), which does not under-cover when a
regressor (distance) varies mostly between clusters; with more than
:data:`CR3_MAX_PARAMETERS` parameters (cost ``p^3 G``) it falls back to CR1
``G/(G-1) H^-1 S^T S H^-1``.

Out-of-sample error: k-fold cross-validation grouped by cell (or by route):
every bin of a group is held out together, the model is refitted on the other
folds and the held-out residuals are pooled (a held-out cell's offset is the
prior mean 0 unless the same cell is in the training folds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.optimize
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from nrplan.errors import NrplanInputError

__all__ = [
    "CR3_MAX_PARAMETERS",
    "HUBER_K",
    "CrossValidation",
    "FitResult",
    "Priors",
    "cross_validate",
    "fit_corrections",
    "group_folds",
]

HUBER_K = 1.345
"""Huber tuning constant (95 % efficiency at the Gaussian; Huber 1981)."""

CR3_MAX_PARAMETERS = 200
"""Largest parameter count for the CR3 (leave-one-cluster-out) standard errors;
beyond it (many cell offsets) CR1, whose cost does not grow with p^3 x clusters."""

_ALPHA_BOUND = 40.0
_SLOPE_BOUND = 20.0
_CELL_BOUND = 20.0


@dataclass(frozen=True)
class Priors:
    """Prior standard deviations (ridge strengths) of the corrections.

    Attributes
    ----------
    intercept_db : float
        Of the class correction at the class's mean distance [dB] (default 10:
        weak; a TR 38.901 model is rarely more than one 8-10 dB shadowing
        sigma off on average after a drive test).
    slope_db_per_decade : float
        Of the class slope correction [dB/decade] (default 10: half the
        difference between free space, 20, and the UMa NLOS slope, 39.08).
    cell_db : float
        Of a cell's EIRP offset [dB] (default 3: a feeder, jumper or
        antenna-gain error of a few dB).
    """

    intercept_db: float = 10.0
    slope_db_per_decade: float = 10.0
    cell_db: float = 3.0


@dataclass(eq=False)
class FitResult:
    """Fitted corrections (class order = ``classes``, cell order = ``cells``)."""

    classes: np.ndarray  # morphology codes
    a_db: np.ndarray
    b_db: np.ndarray
    se_a_db: np.ndarray
    se_b_db: np.ndarray
    cov_ab: np.ndarray  # (ncls,) covariance of a_c and b_c
    xbar: np.ndarray
    n_bins_class: np.ndarray
    cells: np.ndarray  # sector indices with an offset (empty without offsets)
    offset_db: np.ndarray
    se_offset_db: np.ndarray
    n_bins_cell: np.ndarray
    scale_db: float  # robust residual scale (1.4826 MAD)
    residual_db: np.ndarray  # per bin, after the fit
    n_clusters: int
    converged: bool

    def corrections(self) -> dict[int, tuple[float, float]]:
        """``code -> (a, b)`` for :class:`nrplan.engine.PredictionConfig`."""
        return {
            int(c): (float(a), float(b))
            for c, a, b in zip(self.classes, self.a_db, self.b_db, strict=True)
        }

    def predict_delta(self, xlog, code, sector) -> np.ndarray:
        """The fitted ``-(a_c + b_c x) + o_j`` [dB] per bin (0 for unknown classes/cells)."""
        lut_c = {int(c): i for i, c in enumerate(self.classes)}
        ci = np.array([lut_c.get(int(c), -1) for c in np.asarray(code)])
        a = np.where(ci >= 0, self.a_db[np.maximum(ci, 0)], 0.0)
        b = np.where(ci >= 0, self.b_db[np.maximum(ci, 0)], 0.0)
        out = -(a + b * np.asarray(xlog, float))
        if self.cells.size:
            lut = np.full(int(max(self.cells.max(), np.max(sector))) + 1, 0.0)
            lut[self.cells] = self.offset_db
            out = out + lut[np.asarray(sector, np.int64)]
        return out


def _mad(v: np.ndarray) -> float:
    return float(1.4826 * np.median(np.abs(v - np.median(v))))


def _design(xlog, ci, ncls, xbar, cj, ncell) -> sp.csr_matrix:
    """d(mu)/d(theta): mu = -(alpha_c + b_c (x - xbar_c)) + o_j."""
    n = xlog.size
    rows = np.arange(n)
    parts_r = [rows, rows]
    parts_c = [ci, ncls + ci]
    parts_v = [-np.ones(n), -(xlog - xbar[ci])]
    if ncell:
        parts_r.append(rows)
        parts_c.append(2 * ncls + cj)
        parts_v.append(np.ones(n))
    return sp.csr_matrix(
        (np.concatenate(parts_v), (np.concatenate(parts_r), np.concatenate(parts_c))),
        shape=(n, 2 * ncls + ncell),
    )


def _huber_irls(A: sp.csr_matrix, b: np.ndarray, x0: np.ndarray, iters: int = 100) -> np.ndarray:
    """Minimiser of ``sum huber(b - A x)`` (``HUBER_K``) by iteratively reweighted
    least squares on the normal equations; the start of :func:`fit_corrections`'s
    ``least_squares`` (which then needs only a few evaluations)."""
    x = x0.copy()
    At = A.T.tocsr()
    for _ in range(iters):
        r = b - A @ x
        a = np.abs(r)
        w = np.where(a <= HUBER_K, 1.0, HUBER_K / np.maximum(a, 1e-300))
        N = (At @ A.multiply(w[:, None])).tocsc()  # sparse: cells only meet classes
        x_new = np.atleast_1d(spla.spsolve(N, At @ (w * b)))
        if np.max(np.abs(x_new - x)) < 1e-9:
            return x_new
        x = x_new
    return x


def fit_corrections(
    resid_db,
    xlog,
    code,
    sector,
    cluster,
    *,
    cell_offsets: bool = True,
    priors: Priors = Priors(),
    scale_db: float | None = None,
) -> FitResult:
    """Fit the corrections to ``resid_db = RSRP_meas - RSRP_pred(untuned)`` per bin.

    Parameters
    ----------
    resid_db, xlog : array_like
        Measured minus untuned prediction [dB], ``log10(d_2d / 1 m)`` per bin.
    code, sector : array_like of int
        Morphology code and serving sector per bin.
    cluster : array_like of int
        Spatial cluster per bin (for the standard errors).
    cell_offsets : bool
        Fit a per-cell offset too.
    priors : Priors
        Ridge strengths.
    scale_db : float, optional
        Residual scale [dB]; default estimated (1.4826 MAD, refined once).

    Returns
    -------
    FitResult
    """
    y = np.asarray(resid_db, float)
    xlog = np.asarray(xlog, float)
    if y.size < 3:
        raise NrplanInputError("measurements", y.size, "at least 3 measurement bins to tune")
    classes, ci = np.unique(np.asarray(code, np.int64), return_inverse=True)
    ci = ci.ravel()
    ncls = classes.size
    cells, cj = np.unique(np.asarray(sector, np.int64), return_inverse=True)
    cj = cj.ravel()
    ncell = cells.size if cell_offsets else 0
    xbar = np.bincount(ci, weights=xlog, minlength=ncls) / np.bincount(ci, minlength=ncls)
    X = _design(xlog, ci, ncls, xbar, cj, ncell)
    prior_sd = np.concatenate(
        [
            np.full(ncls, priors.intercept_db),
            np.full(ncls, priors.slope_db_per_decade),
            np.full(ncell, priors.cell_db),
        ]
    )
    npar = prior_sd.size
    P = sp.diags(1.0 / prior_sd)
    bound = np.concatenate(
        [np.full(ncls, _ALPHA_BOUND), np.full(ncls, _SLOPE_BOUND), np.full(ncell, _CELL_BOUND)]
    )
    s = float(scale_db) if scale_db is not None else max(_mad(y - np.median(y)), 0.1)
    theta = np.zeros(npar)
    converged = True
    for _ in range(1 if scale_db is not None else 2):
        A = sp.vstack([X / s, P]).tocsr()  # mu / s, and the prior rows
        target = np.concatenate([y / s, np.zeros(npar)])
        # Huber IRLS start (cheap normal equations), then least_squares from it
        theta = np.clip(_huber_irls(A, target, theta), -0.999 * bound, 0.999 * bound)
        J = -A
        dense = J.shape[0] * npar <= 2e7  # small problems: exact trust-region steps
        if dense:
            J = J.toarray()

        def fun(t, A=A, target=target):
            return target - A @ t

        res = scipy.optimize.least_squares(
            fun,
            theta,
            jac=lambda t, J=J: J,
            bounds=(-bound, bound),
            method="trf",
            loss="huber",
            f_scale=HUBER_K,
            tr_solver="exact" if dense else "lsmr",
            x_scale=1.0,
            max_nfev=1000,
        )
        theta = res.x
        converged = bool(res.status > 0)
        if scale_db is None:
            s = max(_mad(y - X @ theta), 0.1)
    r = y - X @ theta
    z = r / s
    inl = np.abs(z) <= HUBER_K
    psi = np.clip(z, -HUBER_K, HUBER_K)
    Xs = (X / s).tocsr()
    H = (Xs.T @ sp.diags(inl.astype(float)) @ Xs + sp.diags(1.0 / prior_sd**2)).toarray()
    cl, cli = np.unique(np.asarray(cluster, np.int64), return_inverse=True)
    cli = cli.ravel()
    nc = cl.size
    one_cluster = nc < 2
    if one_cluster:  # a drive test inside one cluster: bins as clusters (HC1, optimistic)
        cli, nc = np.arange(y.size), y.size
    G = sp.csr_matrix((psi, (cli, np.arange(y.size))), shape=(nc, y.size))
    S = (G @ Xs).tocsr()  # score of each cluster
    if npar <= CR3_MAX_PARAMETERS and not one_cluster:
        # CR3: leave-one-cluster-out (jackknife) sandwich, honest with few clusters
        # whose regressors vary mostly between clusters (Bell & McCaffrey 2002)
        order = np.argsort(cli, kind="stable")
        bounds_ = np.searchsorted(cli[order], np.arange(nc + 1))
        W = (Xs.multiply(inl[:, None].astype(float))).tocsr()
        M = np.zeros((npar, npar))
        for g in range(nc):
            rows = order[bounds_[g] : bounds_[g + 1]]
            Hg = (W[rows].T @ Xs[rows]).toarray()
            try:
                dg = np.linalg.solve(H - Hg, S[g].toarray().ravel())
            except np.linalg.LinAlgError:
                dg = np.linalg.lstsq(H - Hg, S[g].toarray().ravel(), rcond=None)[0]
            M += np.outer(dg, dg)
        cov = M * ((nc - 1.0) / nc if nc > 1 else 1.0)
    else:  # CR1 (Huber-White with clusters): many parameters and clusters
        M = (S.T @ S).toarray()
        if nc > 1:
            M *= nc / (nc - 1.0)
        try:
            Hi = np.linalg.inv(H)
        except np.linalg.LinAlgError:
            Hi = np.linalg.pinv(H)
        cov = Hi @ M @ Hi
    al, b = theta[:ncls], theta[ncls : 2 * ncls]
    a = al - b * xbar
    var_al = np.diag(cov)[:ncls]
    var_b = np.diag(cov)[ncls : 2 * ncls]
    cov_alb = np.array([cov[i, ncls + i] for i in range(ncls)])
    var_a = var_al + xbar**2 * var_b - 2.0 * xbar * cov_alb
    cov_ab = cov_alb - xbar * var_b
    off = theta[2 * ncls :]
    return FitResult(
        classes=classes,
        a_db=a,
        b_db=b,
        se_a_db=np.sqrt(np.maximum(var_a, 0.0)),
        se_b_db=np.sqrt(np.maximum(var_b, 0.0)),
        cov_ab=cov_ab,
        xbar=xbar,
        n_bins_class=np.bincount(ci, minlength=ncls),
        cells=cells if ncell else np.zeros(0, np.int64),
        offset_db=off,
        se_offset_db=np.sqrt(np.maximum(np.diag(cov)[2 * ncls :], 0.0)),
        n_bins_cell=np.bincount(cj, minlength=cells.size) if ncell else np.zeros(0, np.int64),
        scale_db=float(s),
        residual_db=r,
        n_clusters=int(nc),
        converged=converged,
    )


def group_folds(groups, k: int, rng: np.random.Generator) -> np.ndarray:
    """Fold (0..k-1) per element; all elements of a group in one fold.

    Groups are shuffled by ``rng`` and dealt largest first to the fold with the
    fewest elements so far (balanced folds)."""
    u, inv, counts = np.unique(np.asarray(groups), return_inverse=True, return_counts=True)
    k = int(min(k, u.size))
    if k < 2:
        raise NrplanInputError(
            "cv folds", u.size, "at least 2 groups (cells or routes) to cross-validate"
        )
    perm = rng.permutation(u.size)
    order = perm[np.argsort(-counts[perm], kind="stable")]
    load = np.zeros(k)
    fold_of = np.empty(u.size, dtype=np.int64)
    for gi in order:
        f = int(np.argmin(load))
        fold_of[gi] = f
        load[f] += counts[gi]
    return fold_of[inv.ravel()]


@dataclass(eq=False)
class CrossValidation:
    """Pooled held-out residuals of a grouped k-fold cross-validation."""

    k: int
    group_by: str
    residual_db: np.ndarray  # tuned, held out, per bin
    baseline_db: np.ndarray  # untuned, per bin

    def stats(self) -> dict:
        """Mean, std and RMSE of the held-out residuals, tuned and untuned [dB]."""

        def st(r):
            return {
                "mean_error_db": float(np.mean(r)),
                "std_db": float(np.std(r)),
                "rmse_db": float(np.sqrt(np.mean(r**2))),
            }

        return {
            "folds": self.k,
            "grouped_by": self.group_by,
            "n_bins": int(self.residual_db.size),
            "tuned": st(self.residual_db),
            "untuned": st(self.baseline_db),
        }


def cross_validate(
    resid_db,
    xlog,
    code,
    sector,
    cluster,
    groups,
    *,
    k: int = 5,
    group_by: str = "cell",
    rng: np.random.Generator,
    cell_offsets: bool = True,
    priors: Priors = Priors(),
) -> CrossValidation:
    """Grouped k-fold CV of :func:`fit_corrections` (see the module docstring).

    Measured minus predicted is ``resid_db - delta`` with ``delta`` the
    correction fitted without the held-out fold."""
    y = np.asarray(resid_db, float)
    fold = group_folds(groups, k, rng)
    kk = int(fold.max()) + 1
    held = np.empty_like(y)
    for f in range(kk):
        te = fold == f
        tr = ~te
        fit = fit_corrections(
            y[tr],
            np.asarray(xlog)[tr],
            np.asarray(code)[tr],
            np.asarray(sector)[tr],
            np.asarray(cluster)[tr],
            cell_offsets=cell_offsets,
            priors=priors,
        )
        held[te] = y[te] - fit.predict_delta(
            np.asarray(xlog)[te], np.asarray(code)[te], np.asarray(sector)[te]
        )
    return CrossValidation(kk, group_by, held, y.copy())
