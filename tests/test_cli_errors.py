"""The CLI turns every user error into one line on stderr and exit code 2."""

from __future__ import annotations

import pytest

from nrplan.cli import main


def test_unknown_option_is_one_line_exit_2(capsys):
    assert main(["--no-such-option"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "No such option" in err


def test_version_exits_0(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "0.1.0"


@pytest.mark.parametrize("argv", [["no-such-command"]])
def test_unknown_command(argv, capsys):
    assert main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_internal_error_is_one_line_exit_1_and_traceback_on_request(monkeypatch, capsys, tmp_path):
    import nrplan.geo.region as region

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(region, "china_regions", boom)
    monkeypatch.delenv("NRPLAN_DEBUG", raising=False)
    assert main(["plan", "china", "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "simulated bug" in err
    monkeypatch.setenv("NRPLAN_DEBUG", "1")
    with pytest.raises(RuntimeError, match="simulated bug"):
        main(["plan", "china", "--out", str(tmp_path / "r2")])


def test_ctrl_c_is_one_line_exit_130(monkeypatch, capsys, tmp_path):
    import nrplan.plan.national as national

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(national, "plan_regions", interrupted)
    assert main(["plan", "china", "--cities", "Jiayuguan", "--out", str(tmp_path / "r")]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "interrupted" in err and "resumes" in err


def test_input_error_survives_pickling():
    """A worker's error crosses the process boundary intact (no broken pool)."""
    import pickle

    from nrplan.errors import NrplanInputError

    e = pickle.loads(pickle.dumps(NrplanInputError("sectors", 0, "at least one sector")))
    assert isinstance(e, NrplanInputError)
    assert (e.field, e.value, e.allowed) == ("sectors", 0, "at least one sector")
    assert str(e) == "sectors=0 is not valid; allowed: at least one sector"
