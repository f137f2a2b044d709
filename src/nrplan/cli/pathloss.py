"""``nrplan pathloss``: TR 38.901 path loss at a list of distances."""

from __future__ import annotations

import typer

from nrplan.errors import NrplanInputError, check_range, parse_float_list

__all__ = ["DEFAULT_HBS_M", "HBS_MAX_M", "hbs_range_m", "register"]

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


HBS_MAX_M = 150.0
"""Largest BS height [m] the CLI accepts: the top of the only h_BS range Table 7.4.1-1
gives (RMa, 10-150 m). UMa/UMi/InH/InF give one nominal height, not a range."""


def hbs_range_m(scenario: str) -> tuple[float, float]:
    """Allowed ``--hbs`` [m] for ``scenario``: the table's range, else (0, HBS_MAX_M]."""
    from nrplan.radio.pathloss import BS_HEIGHT_RANGE_M

    return BS_HEIGHT_RANGE_M.get(scenario, (0.0, HBS_MAX_M))


def _check_heights_fc(scen: str, h_bs: float, h_ut: float, fc: float) -> None:
    """Finite and in the TR 38.901 Table 7.4.1-1 ranges (the library lets NaN through)."""
    from nrplan.radio.pathloss import FREQUENCY_RANGE_GHZ, UT_HEIGHT_RANGE_M

    where = f" for {scen} (TR 38.901 Table 7.4.1-1)"
    lo, hi = FREQUENCY_RANGE_GHZ[scen]
    _in_range("fc", fc, lo, hi, "GHz", where, lo_open=False)
    from nrplan.radio.pathloss import BS_HEIGHT_RANGE_M

    lo, hi = hbs_range_m(scen)
    hbs_where = where if scen in BS_HEIGHT_RANGE_M else f" for {scen} (up to the RMa table's 150 m)"
    _in_range("hbs", h_bs, lo, hi, "m", hbs_where, lo_open=lo == 0.0)
    lo, hi = UT_HEIGHT_RANGE_M.get(scen, (0.0, HBS_MAX_M))
    _in_range("hut", h_ut, lo, hi, "m", where, lo_open=lo == 0.0)


def _in_range(field, value, lo, hi, unit, where, *, lo_open):
    try:
        check_range(field, value, lo, hi, lo_open=lo_open, unit=unit)
    except NrplanInputError as exc:
        raise NrplanInputError(f"--{field}", exc.value, f"{exc.allowed}{where}") from None


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
            None,
            "--hbs",
            help="BS height [m] (default per scenario; RMa 10-150, others up to 150).",
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
        distances = parse_float_list("--d2d", d2d, "50,100,500")
        h_bs = DEFAULT_HBS_M[scen] if hbs is None else hbs
        _check_heights_fc(scen, h_bs, hut, fc)
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
