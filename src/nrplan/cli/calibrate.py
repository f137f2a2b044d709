"""``nrplan calibrate``: TR 38.901 7.8.1 large-scale calibration."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``calibrate`` command to ``app``."""

    @app.command("calibrate")
    def calibrate_cmd(
        scenario: str = typer.Option(
            "uma", "--scenario", help="uma or umi (TR 38.901 Table 7.8-1)."
        ),
        fc: float = typer.Option(6.0, "--fc", help="Carrier frequency [GHz]: 6, 30 or 70."),
        seed: int = typer.Option(1, "--seed", help="Random seed."),
        drops: int = typer.Option(20, "--drops", help="Drops of 57 cells x 10 UTs."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Coupling loss, SIR and SINR percentiles of the TR 38.901 7.8.1 calibration."""
        from nrplan.calibration import PERCENTILES, REFERENCE_R1_165974, run_calibration
        from nrplan.cli._output import print_json, print_table

        result = run_calibration(scenario, fc, seed, drops)
        summary = result.summary()
        if as_json:
            print_json(summary)
            return
        ref = REFERENCE_R1_165974[(result.scenario, result.fc_ghz)]
        rows = []
        for p in PERCENTILES:
            k = f"p{p}"
            rows.append(
                [
                    k,
                    summary["coupling_loss_db"][k],
                    ref["coupling_loss_db"][k],
                    summary["sir_db"][k],
                    ref["sir_db"][k],
                    summary["sinr_db"][k],
                ]
            )
        print_table(
            rows,
            ["pct", "CL [dB]", "CL ref", "SIR [dB]", "SIR ref", "SINR [dB]"],
            title=f"TR 38.901 7.8.1 {result.scenario} {result.fc_ghz:g} GHz, "
            f"{result.n_ut} UTs (ref: R1-165974)",
            floatfmt="{:.1f}",
        )
