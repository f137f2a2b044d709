"""MkDocs hooks of the nrplan documentation site (``mkdocs.yml``: ``hooks:``).

Everything generated here exists only in the build, never in ``docs/``:

- ``cli.md``: the CLI reference, every command's ``--help`` as the installed
  Typer app prints it (:func:`cli_reference_markdown`);
- ``api/<module>.md``: one mkdocstrings page per public module
  (:data:`API_MODULES`; a module that is not there is left out);
- ``figures/*.png``: the validation figures of the model pages, computed at
  build time through the same functions the planner uses
  (:data:`FIGURES`);
- the nav: entries whose page is missing at build time are dropped, so the
  site builds whichever data-source notes exist.

Nothing is downloaded: the figures use the radio core and the embedded
calibration reference only.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.nrplan")

#: Public modules that get an API page, in nav order.
API_MODULES: tuple[str, ...] = (
    "nrplan.api",
    "nrplan.plan.records",
    "nrplan.defaults",
    "nrplan.radio.pathloss",
    "nrplan.radio.los",
    "nrplan.radio.o2i",
    "nrplan.radio.shadowing",
    "nrplan.radio.antenna",
    "nrplan.radio.linkbudget",
    "nrplan.radio.nr",
    "nrplan.radio.bands",
    "nrplan.engine",
    "nrplan.plan.config",
    "nrplan.calibration",
)

#: Help text width of the CLI reference [characters].
CLI_WIDTH = 100


# ---------------------------------------------------------------------------
# nav


def _present_modules() -> list[str]:
    return [m for m in API_MODULES if importlib.util.find_spec(m) is not None]


def _prune_nav(items: list[Any], docs_dir: Path) -> list[Any]:
    """Drop nav entries whose Markdown page does not exist (generated pages are kept)."""
    generated = {"cli.md"} | {f"api/{m}.md" for m in _present_modules()}
    kept: list[Any] = []
    for item in items:
        if isinstance(item, dict):
            (title, value), *_ = item.items()
            if isinstance(value, list):
                sub = _prune_nav(value, docs_dir)
                if sub:
                    kept.append({title: sub})
                continue
            item_value = value
        else:
            item_value = item
        if not isinstance(item_value, str) or "://" in item_value:
            kept.append(item)
        elif item_value in generated or (docs_dir / item_value).is_file():
            kept.append(item)
        else:
            log.info("nav: %s is not in docs/ at build time; left out", item_value)
    return kept


def on_config(config: Any) -> Any:
    """Prune the nav to the pages present and add the API pages."""
    nav = list(config["nav"] or [])
    api = [{m: f"api/{m}.md"} for m in _present_modules()]
    for i, item in enumerate(nav):
        if isinstance(item, dict) and "API reference" in item:
            nav[i] = {"API reference": api}
    config["nav"] = _prune_nav(nav, Path(config["docs_dir"]))
    return config


# ---------------------------------------------------------------------------
# generated pages


def _walk(command: Any, path: list[str], parent: Any) -> list[tuple[list[str], str, Any]]:
    """(command path, help text, context) of ``command`` and of its subcommands."""
    ctx = command.context_class(
        command, info_name=path[-1], parent=parent, terminal_width=CLI_WIDTH,
        max_content_width=CLI_WIDTH,
    )  # fmt: skip
    out = [(path, command.get_help(ctx), ctx)]
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            out.extend(_walk(sub, [*path, name], ctx))
    return out


def cli_reference_markdown() -> str:
    """The CLI reference page: every command's ``--help``, from the Typer app."""
    import typer

    from nrplan.cli import app

    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated at build time from the installed `nrplan` Typer app: each",
        "section is what `--help` prints. Bad input ends with one line on",
        "stderr and exit code 2.",
        "",
    ]
    for path, text, _ctx in _walk(root, ["nrplan"], None):
        level = 2 if len(path) <= 2 else 3
        lines += ["#" * level + f" `{' '.join(path)}`", ""]
        lines += ["```text", text.rstrip(), "```", ""]
    return "\n".join(lines)


def api_page_markdown(module: str) -> str:
    """An mkdocstrings page for ``module``."""
    return f"# `{module}`\n\n::: {module}\n"


# ---------------------------------------------------------------------------
# figures


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def fig_pathloss() -> bytes:
    """TR 38.901 Table 7.4.1-1 path loss vs distance, 3.5 GHz, LOS/NLOS/expected."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nrplan.radio.pathloss import pathloss

    d = np.geomspace(20.0, 5000.0, 200)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for scen, h_bs, color in (("uma", 25.0, "C0"), ("umi", 10.0, "C1"), ("rma", 35.0, "C2")):
        dd = d if scen != "umi" else d[d <= 5000.0]
        for los, style in (("los", ":"), ("nlos", "--"), ("prob", "-")):
            pl = pathloss(scen, dd, h_bs, 1.5, 3.5, los, extrapolate=True)
            label = f"{scen.upper()} {los}" if los != "prob" else f"{scen.upper()} expected"
            ax.plot(dd, pl, style, color=color, label=label)
    ax.set_xscale("log")
    ax.set_xlabel("2D distance [m]")
    ax.set_ylabel("path loss [dB]")
    ax.set_title("TR 38.901 Table 7.4.1-1 at 3.5 GHz, h_UT 1.5 m")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=3)
    return _png(fig)


def fig_los_probability() -> bytes:
    """TR 38.901 Table 7.4.2-1 LOS probability vs distance."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nrplan.radio.los import los_probability

    d = np.linspace(1.0, 1000.0, 400)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for scen in ("uma", "umi", "rma"):
        ax.plot(d, los_probability(scen, d, 1.5), label=scen.upper())
    ax.set_xlabel("2D outdoor distance [m]")
    ax.set_ylabel("P(LOS)")
    ax.set_title("TR 38.901 Table 7.4.2-1, h_UT 1.5 m")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return _png(fig)


def fig_antenna() -> bytes:
    """TR 38.901 Table 7.3-1 element and the 64T64R traffic / SSB beams, horizontal cut."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nrplan.radio.antenna import element_pattern, sector_gain

    phi = np.linspace(-180.0, 180.0, 721)
    theta = np.full_like(phi, 90.0)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(phi, element_pattern(theta, phi), label="element (Table 7.3-1)")
    for beam in ("traffic", "ssb"):
        ax.plot(phi, sector_gain("64t64r", theta, phi, beam), label=f"64T64R {beam} beam")
    ax.set_xlabel("azimuth from boresight [deg]")
    ax.set_ylabel("gain [dBi]")
    ax.set_title("Horizontal cut at the horizon (zenith 90 deg)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return _png(fig)


def fig_spectral_efficiency() -> bytes:
    """TS 38.214 CQI tables and the TR 36.942 truncated Shannon bound."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nrplan.radio.nr import spectral_efficiency

    sinr = np.linspace(-10.0, 35.0, 451)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for method in ("cqi-table1", "cqi-table2", "shannon"):
        ax.plot(sinr, spectral_efficiency(sinr, method), label=method)
    ax.set_xlabel("SINR [dB]")
    ax.set_ylabel("spectral efficiency [bit/RE per layer]")
    ax.set_title("TS 38.214 Tables 5.2.2.1-2/-3; TR 36.942 A.2")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return _png(fig)


def fig_cell_range() -> bytes:
    """DL and UL maximum path loss of the default bands (link budget)."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nrplan.radio.linkbudget import max_cell_range

    bands = ("n28", "n41", "n78", "n79")
    dl, ul = [], []
    for band in bands:
        lb = max_cell_range(band, "uma")
        dl.append(lb.range_dl_m / 1000.0)
        ul.append(lb.range_ul_m / 1000.0)
    x = np.arange(len(bands))
    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.bar(x - 0.2, dl, 0.4, label="downlink (50 Mbit/s edge)")
    ax.bar(x + 0.2, ul, 0.4, label="uplink (2 Mbit/s edge)")
    ax.set_xticks(x, bands)
    ax.set_ylabel("UMa cell range [km]")
    ax.set_title("Link-budget cell range per band (expected path loss, defaults)")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend()
    return _png(fig)


def fig_calibration() -> bytes:
    """TR 38.901 7.8.1 calibration CDFs (``nrplan calibrate``) vs R1-165974."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nrplan.calibration import REFERENCE_R1_165974, run_calibration

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
    for scen, color in (("uma", "C0"), ("umi", "C1")):
        res = run_calibration(scen, 6.0, seed=1, drops=20)
        ref = REFERENCE_R1_165974[(scen, 6.0)]
        for ax, values, key in (
            (axes[0], res.coupling_loss_db, "coupling_loss_db"),
            (axes[1], res.sir_db, "sir_db"),
        ):
            v = np.sort(values)
            ax.plot(v, np.arange(1, v.size + 1) / v.size, color=color, label=f"{scen.upper()}")
            pts = ref[key]
            ax.plot(
                list(pts.values()), [int(k[1:]) / 100.0 for k in pts], "o", color=color,
                mfc="none", label=f"{scen.upper()} R1-165974",
            )  # fmt: skip
    axes[0].set_xlabel("coupling loss [dB]")
    axes[1].set_xlabel("geometry (SIR) [dB]")
    for ax in axes:
        ax.set_ylabel("CDF")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("TR 38.901 7.8.1 large-scale calibration, 6 GHz, 20 drops, seed 1")
    fig.tight_layout()
    return _png(fig)


def _engine_scene(seed: int = 7, n_sites: int = 12, size_m: float = 3000.0, pixel_m: float = 30.0):
    """A random three-sector layout over mixed morphology (as the engine tests use)."""
    import numpy as np

    from nrplan.engine import Sectors
    from nrplan.grid import Grid

    rng = np.random.default_rng(seed)
    xy = rng.uniform(0.0, size_m, (n_sites, 2))
    n = 3 * n_sites
    sectors = Sectors(
        site_id=np.repeat([f"S{i}" for i in range(n_sites)], 3),
        x=np.repeat(xy[:, 0], 3),
        y=np.repeat(xy[:, 1], 3),
        height_m=np.full(n, 25.0),
        azimuth_deg=np.tile([0.0, 120.0, 240.0], n_sites),
        mech_tilt_deg=np.full(n, 3.0),
        elec_tilt_deg=np.full(n, 6.0),
        band=np.full(n, "n78"),
        power_dbm=np.full(n, 53.0),
        antenna=np.full(n, "64t64r"),
        load=np.full(n, 0.5),
    )
    side = int(size_m / pixel_m)
    grid = Grid(0.0, size_m, pixel_m, side, side, "EPSG:32650")
    morph = rng.choice(np.array([1, 2, 3], dtype=np.uint8), size=grid.shape, p=[0.3, 0.4, 0.3])
    return grid, morph, sectors


def fig_engine() -> bytes:
    """Fast (culled, compiled) engine against the exhaustive NumPy reference."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nrplan.engine import PredictionConfig, predict, predict_reference

    grid, morph, sectors = _engine_scene()
    cfg = PredictionConfig()  # default culling bound: 0.1 dB on both SINRs
    fast = predict(grid, morph, sectors, cfg)
    ref = predict_reference(grid, morph, sectors, cfg)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    xmin, ymin, xmax, ymax = grid.bounds
    im = axes[0].imshow(fast.ss_sinr_db, extent=(xmin, xmax, ymin, ymax), cmap="RdYlGn",
                        vmin=-5, vmax=25)  # fmt: skip
    axes[0].plot(sectors.x[::3], sectors.y[::3], "k^", ms=4)
    fig.colorbar(im, ax=axes[0], label="SS-SINR [dB]")
    axes[0].set_title(f"SS-SINR, {len(sectors.x) // 3} sites, {grid.pixel_m:g} m pixels")
    bins = np.geomspace(1e-7, 1.0, 50)
    for name, label in (("rsrp_dbm", "RSRP"), ("ss_sinr_db", "SS-SINR"), ("sinr_db", "PDSCH SINR")):
        a = np.asarray(getattr(fast, name), float)
        b = np.asarray(getattr(ref, name), float)
        ok = np.isfinite(a) & np.isfinite(b)
        err = np.abs(a[ok] - b[ok])
        axes[1].hist(np.maximum(err, 1e-7), bins=bins, histtype="step",
                     label=f"{label}: max {err.max():.3f} dB")  # fmt: skip
    axes[1].set_xscale("log")
    axes[1].set_xlabel("|fast - reference| per pixel [dB]")
    axes[1].set_ylabel("pixels")
    axes[1].set_title("Fast engine against the exhaustive reference")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    return _png(fig)


#: Figure file (under ``figures/``) -> the function that draws it.
FIGURES: dict[str, Callable[[], bytes]] = {
    "pathloss.png": fig_pathloss,
    "los-probability.png": fig_los_probability,
    "antenna.png": fig_antenna,
    "spectral-efficiency.png": fig_spectral_efficiency,
    "cell-range.png": fig_cell_range,
    "calibration.png": fig_calibration,
    "engine.png": fig_engine,
}


_ROLE = re.compile(
    r":(?:py:)?(?:func|class|mod|data|meth|attr|obj|exc|const):<code>(~?)([^<]*)</code>"
)


def _drop_role(match: re.Match[str]) -> str:
    name = match.group(2).rsplit(".", 1)[-1] if match.group(1) else match.group(2)
    return f"<code>{name}</code>"


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Render the docstrings' Sphinx roles (``:func:`x```) as plain code."""
    return _ROLE.sub(_drop_role, html)


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages and figures to the build."""
    import matplotlib

    matplotlib.use("Agg")
    from mkdocs.structure.files import File

    files.append(File.generated(config, "cli.md", content=cli_reference_markdown()))
    for module in _present_modules():
        files.append(File.generated(config, f"api/{module}.md", content=api_page_markdown(module)))
    for name, draw in FIGURES.items():
        files.append(File.generated(config, f"figures/{name}", content=draw()))
    return files
