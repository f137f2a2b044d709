"""``nrplan linkbudget`` (cell-edge budgets and range) and ``nrplan peakrate`` (TS 38.306)."""

from __future__ import annotations

import typer

__all__ = ["register"]

_LB_ROWS = (
    ("DL noise over the band", "dl_noise_dbm", "dBm"),
    ("DL noise per RE (UE)", "dl_noise_re_dbm", "dBm"),
    ("UL noise per RE (gNB)", "ul_noise_re_dbm", "dBm"),
    ("DL EIRP (traffic beam)", "eirp_dbm", "dBm"),
    ("DL EIRP per RE", "eirp_re_dbm", "dBm"),
    ("UE EIRP", "ue_eirp_dbm", "dBm"),
    ("Required SINR DL", "dl_required_sinr_db", "dB"),
    ("Required SINR UL", "ul_required_sinr_db", "dB"),
    ("UL PRBs at the edge", "ul_prb", ""),
    ("Shadowing sigma", "shadow_sigma_db", "dB"),
    ("Shadowing margin", "shadow_margin_db", "dB"),
    ("Penetration loss", "penetration_loss_db", "dB"),
    ("Max path loss DL", "mapl_dl_db", "dB"),
    ("Max path loss UL", "mapl_ul_db", "dB"),
    ("Range DL", "range_dl_m", "m"),
    ("Range UL", "range_ul_m", "m"),
    ("Max cell range", "max_range_m", "m"),
    ("Limiting link", "limiting_link", ""),
    ("SS-RSRP at the edge", "rsrp_edge_dbm", "dBm"),
)


def register(app: typer.Typer) -> None:
    """Add the ``linkbudget`` and ``peakrate`` commands to ``app``."""

    @app.command("linkbudget")
    def linkbudget_cmd(
        band: str = typer.Option("n78", "--band", help="n78, n78-shared, n41, n79, n28."),
        scenario: str = typer.Option(
            "uma", "--scenario", help="TR 38.901 scenario (uma, umi, rma, ...)."
        ),
        edge_dl_mbps: float = typer.Option(
            50.0, "--edge-dl-mbps", help="Cell-edge DL rate [Mbit/s]."
        ),
        edge_ul_mbps: float = typer.Option(
            2.0, "--edge-ul-mbps", help="Cell-edge UL rate [Mbit/s]."
        ),
        los: str = typer.Option(
            "prob", "--los", help="los, nlos or prob (LOS-probability weighted)."
        ),
        hbs: float | None = typer.Option(
            None, "--hbs", help="BS height [m] (default per scenario)."
        ),
        hut: float = typer.Option(1.5, "--hut", help="UT height [m]."),
        coverage: float = typer.Option(
            0.9, "--edge-coverage", help="Cell-edge coverage probability (0-1)."
        ),
        penetration: str = typer.Option(
            "none", "--penetration", help="none (outdoor), low or high (indoor O2I)."
        ),
        method: str = typer.Option(
            "cqi-table2", "--method", help="cqi-table2, cqi-table1 or shannon."
        ),
        dl_layers: int = typer.Option(1, "--dl-layers", help="DL MIMO layers at the edge."),
        ul_layers: int = typer.Option(1, "--ul-layers", help="UL MIMO layers at the edge."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Cell-edge DL/UL link budget: noise, EIRP, required SINR, max path loss, cell range."""
        from dataclasses import asdict

        from nrplan.cli._output import print_json, print_table
        from nrplan.radio.linkbudget import link_budget

        lb = link_budget(
            band, scenario, edge_dl_mbps, edge_ul_mbps, los=los, h_bs=hbs, h_ut=hut,
            edge_coverage=coverage, penetration=penetration, method=method,
            dl_layers=dl_layers, ul_layers=ul_layers,
        )  # fmt: skip
        if as_json:
            print_json(asdict(lb))
            return
        rows = [(label, getattr(lb, key), unit) for label, key, unit in _LB_ROWS]
        title = (
            f"{lb.band} link budget, {lb.scenario} ({lb.los}), hBS {lb.h_bs_m:g} m, "
            f"edge {lb.edge_dl_mbps:g}/{lb.edge_ul_mbps:g} Mbit/s DL/UL"
        )
        print_table(rows, ["quantity", "value", "unit"], title, floatfmt="{:.1f}")

    @app.command("peakrate")
    def peakrate_cmd(
        bw: float = typer.Option(100.0, "--bw", help="Channel bandwidth [MHz]."),
        scs: float = typer.Option(30.0, "--scs", help="Subcarrier spacing [kHz]."),
        layers: int = typer.Option(4, "--layers", help="MIMO layers (1-8 DL, 1-4 UL)."),
        qam: int = typer.Option(256, "--qam", help="Modulation: 4, 16, 64, 256 (1024 DL)."),
        tdd: str | None = typer.Option(
            None, "--tdd", help="TDD pattern, e.g. DDDSU or DDDSUDDSUU:10:2:2."
        ),
        direction: str = typer.Option("dl", "--direction", help="dl or ul."),
        scaling: float = typer.Option(
            1.0, "--scaling", help="Scaling factor f: 1, 0.8, 0.75, 0.4."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Peak data rate of one carrier per TS 38.306 4.1.2 [Mbit/s]."""
        from nrplan.cli._output import print_json, print_table
        from nrplan.errors import check_choice, check_range
        from nrplan.radio.nr import OVERHEAD_FR1, TddPattern, n_prb, peak_rate_mbps

        d = check_choice("direction", direction, ("dl", "ul"))
        check_range("layers", layers, 1, 8)
        nrb = n_prb(bw, scs)
        pattern = None if tdd is None else TddPattern.parse(tdd)
        mbps = peak_rate_mbps(bw, scs, layers, qam, scaling, None, pattern, d)
        out = {
            "mbps": mbps,
            "bw_mhz": bw,
            "scs_khz": scs,
            "n_prb": nrb,
            "layers": layers,
            "qam": qam,
            "direction": d,
            "overhead": OVERHEAD_FR1[d],
            "tdd": None if pattern is None else str(pattern),
            "tdd_fraction": 1.0 if pattern is None else pattern.fraction(d),
            "reference": "3GPP TS 38.306 V17.0.0 4.1.2; TS 38.101-1 Table 5.3.2-1",
        }
        if as_json:
            print_json(out)
            return
        rows = [(k, v) for k, v in out.items() if k != "reference"]
        print_table(rows, ["quantity", "value"], "Peak rate, TS 38.306 4.1.2", floatfmt="{:.4g}")
