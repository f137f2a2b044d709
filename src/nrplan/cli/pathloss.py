"""``nrplan pathloss``: TR 38.901 path loss at a list of distances."""

from __future__ import annotations

import typer

from nrplan.errors import NrplanInputError

__all__ = ["DEFAULT_HBS_M", "register"]

DEFAULT_HBS_M = {
    "rma": 35.0,  # TR 38.901 Table 7.4.1-1 (RMa default h_BS)
    "uma": 25.0,  # Table 7.4.1-1 (UMa h_BS)
    "umi": 10.0,  # Table 7.4.1-1 (UMi h_BS)
    "inh-office": 3.0,  # Table 7.2-2 (InH BS height, ceiling)
    "inf-sl": 1.5,  # Table 7.8-7 (InF calibration: low BS)
    "inf-dl": 1.5,
    "inf-sh": 8.0,  # Table 7.8-7 (InF calibration: high BS)
    "inf-dh": 8.0,
}
"""Default BS height per scenario [m] when ``--hbs`` is not given."""


def _floats(field: str, text: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise NrplanInputError(field, text, "comma-separated numbers, e.g. 50,100,500") from None
    if not values:
        raise NrplanInputError(field, text, "at least one number")
    return values


def register(app: typer.Typer) -> None:
    """Add the ``pathloss`` command to ``app``."""

    @app.command("pathloss")
    def pathloss_cmd(
        scenario: str = typer.Option(
            "uma", "--scenario", help="rma, uma, umi, inh-office, inf-sl/dl/sh/dh."
        ),
        fc: float = typer.Option(3.5, "--fc", help="Carrier frequency [GHz]."),
        d2d: str = typer.Option(
            "50,100,500,1000", "--d2d", help="2D distances [m], comma-separated."
        ),
        hbs: float | None = typer.Option(
            None, "--hbs", help="BS height [m] (default per scenario)."
        ),
        hut: float = typer.Option(1.5, "--hut", help="UT height [m]."),
        los: str = typer.Option(
            "los", "--los", help="los, nlos or prob (LOS-probability weighted)."
        ),
        simplified: bool = typer.Option(
            False, "--simplified", help="Optional simplified NLOS rows."
        ),
        extrapolate: bool = typer.Option(
            False, "--extrapolate", help="Allow distances outside the table range."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Path loss of TR 38.901 Table 7.4.1-1 per distance."""
        from nrplan.cli._output import print_json, print_table
        from nrplan.errors import check_choice
        from nrplan.radio.pathloss import SCENARIOS, pathloss

        scen = check_choice("scenario", scenario, SCENARIOS)
        state = check_choice("los", los, ("los", "nlos", "prob"))
        distances = _floats("d2d", d2d)
        h_bs = DEFAULT_HBS_M[scen] if hbs is None else hbs
        pl = pathloss(
            scen, distances, h_bs, hut, fc, state, simplified=simplified, extrapolate=extrapolate
        )
        if as_json:
            print_json(
                {
                    "scenario": scen,
                    "fc_ghz": fc,
                    "h_bs_m": h_bs,
                    "h_ut_m": hut,
                    "los": state,
                    "simplified": simplified,
                    "d2d_m": distances,
                    "pathloss_db": pl,
                    "reference": "3GPP TR 38.901 V17.0.0 Table 7.4.1-1",
                }
            )
            return
        title = f"TR 38.901 {scen} path loss, {fc:g} GHz, hBS {h_bs:g} m, hUT {hut:g} m, {state}"
        print_table(list(zip(distances, pl.tolist(), strict=True)), ["d2d [m]", "PL [dB]"], title)
