"""Property-based fuzzing of the CLI's input validation.

Every bad option value or bad input file must give exit code 2 and exactly
one line on stderr, ``nrplan: error: ...``, no traceback, and must leave a
fresh ``--out`` untouched. Inputs are chosen to fail validation: no example
runs a real plan.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nrplan.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SITES = EXAMPLES / "sites.csv"
AREA = EXAMPLES / "area.geojson"
FACTORY = EXAMPLES / "private" / "factory.geojson"

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# --- bad values ---------------------------------------------------------------

#: Never a valid number, whatever the option.
NOT_NUMBERS = st.sampled_from(
    ["nan", "NaN", "inf", "-inf", "+inf", "1e400", "-1e400", "", " ", "abc", "1,5", "--", "0x1g"]
)
#: Unit slips: a number with its unit glued on.
UNIT_SLIPS = st.sampled_from(["3.5GHz", "100m", "100 MHz", "50%", "2km", "30kHz", "1e3dB"])
NEGATIVE = st.floats(min_value=-1e12, max_value=-1e-3).map(repr)
HUGE = st.floats(min_value=1e9, max_value=1e300).map(repr)


def bad_number(*extra: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(NOT_NUMBERS, UNIT_SLIPS, *extra)


#: Bad comma-separated lists of numbers.
BAD_LISTS = st.one_of(
    NOT_NUMBERS,
    st.sampled_from(["10,,20", "10,20,", ",10", "10,nan", "inf,10", "10;x", "10, abc", "1e400,5"]),
)


# --- bad files ----------------------------------------------------------------


def _geojson_truncated(text: str, cut: float) -> bytes:
    return text.encode()[: max(1, int(len(text) * cut))]


_AREA_TEXT = AREA.read_text(encoding="utf-8")
_FACTORY_TEXT = FACTORY.read_text(encoding="utf-8")

BINARY = st.binary(min_size=1, max_size=200).filter(lambda b: b"\n" not in b[:1] and b.strip())


def bad_geojson(base: str) -> st.SearchStrategy[bytes]:
    geometry = {"type": "Point", "coordinates": [121.4, 31.2]}
    feature = {"type": "Feature", "properties": {}, "geometry": geometry}
    point = {"type": "FeatureCollection", "features": [feature]}
    unknown_crs = json.loads(base)
    unknown_crs["crs"] = {"type": "name", "properties": {"name": "EPSG:99999"}}
    empty_fc = {"type": "FeatureCollection", "features": []}
    return st.one_of(
        st.just(b""),
        BINARY.map(lambda b: b"\x00\xff" + b),
        st.floats(min_value=0.05, max_value=0.9).map(lambda c: _geojson_truncated(base, c)),
        st.sampled_from(
            [
                json.dumps(point).encode(),
                json.dumps(unknown_crs).encode(),
                json.dumps(empty_fc).encode(),
                b"{}",
                b"[1, 2, 3]",
                b"not json at all",
            ]
        ),
    )


def _sites_variants() -> list[bytes]:
    lines = SITES.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:7]
    cols = header.split(",")
    out = [
        b"",
        (header + "\n").encode(),  # header only
        ("\n".join([header.replace("lon", "longitude"), *rows]) + "\n").encode(),  # renamed
        ("\n".join([",".join(cols[:-2]), *[",".join(r.split(",")[:-2]) for r in rows]])).encode(),
        ("\n".join([header, *[r.replace("n78", "n999") for r in rows]])).encode(),  # bad band
        ("\n".join([header, *[r.replace(",35,", ",nan,") for r in rows]])).encode(),  # NaN height
        ("\n".join([header, *[r.replace("53.0", "53dBm") for r in rows]])).encode(),  # unit slip
        "\n".join([header, rows[0], rows[1].replace("121.46000", "121.47000")]).encode(),  # moved
        "\n".join([header, *[r.replace("31.2", "-31.2") for r in rows]]).encode(),  # far away
    ]
    return out


SITES_BAD = st.one_of(st.sampled_from(_sites_variants()), BINARY.map(lambda b: b"\x00" + b))

BAD_TOML = st.sampled_from(
    [
        b'seed = "abc"\n',
        b"seed = -1\n",
        b"seed = 1.5\n",
        b"seed = true\n",
        b"no_such_field = 3\n",
        b"seed = \n",
        b"[[[\n",
        b"\x00\x01\x02garbage",
        b'resolution_m = "fifty"\n',
    ]
)

BAD_CSV = st.one_of(
    st.just(b""),
    BINARY.map(lambda b: b"\x00" + b),
    st.sampled_from(
        [
            b"year,users\n",
            b"yr,usr\n2020,1\n2021,2\n2022,3\n",
            b"year,users\n2020,abc\n2021,2\n2022,3\n",
            b"year,users\n2020,nan\n2021,inf\n2022,3\n",
            b"year,users\n2020,-5\n2021,-2\n2022,-3\n",
            b"year\n2020\n2021\n",
        ]
    ),
)


# --- harness ------------------------------------------------------------------


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def assert_one_line_error(argv: list[str], tmp: Path | None = None, keep: set[str] = frozenset()):
    before = set(os.listdir(tmp)) if tmp is not None else set()
    code, _out, err = run_cli(argv)
    lines = err.splitlines()
    assert code == 2, (argv, code, err)
    assert len(lines) == 1, (argv, err)
    assert lines[0].startswith("nrplan: error:"), (argv, err)
    assert "Traceback" not in err
    if tmp is not None:
        after = set(os.listdir(tmp))
        assert after == before, (argv, sorted(after - before))


@contextlib.contextmanager
def fresh_dir():
    with tempfile.TemporaryDirectory(prefix="nrplan-fuzz-") as d:
        yield Path(d)


def write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("NRPLAN_DEBUG", raising=False)


# --- quick numeric commands -------------------------------------------------------


@FUZZ
@given(
    opt=st.sampled_from(["--fc", "--hut", "--hbs", "--d2d"]),
    bad=st.data(),
)
def test_pathloss(opt, bad):
    value = bad.draw(BAD_LISTS if opt == "--d2d" else bad_number(NEGATIVE, HUGE))
    assert_one_line_error(["pathloss", opt, value])


@FUZZ
@given(
    opt=st.sampled_from(["--edge-dl-mbps", "--edge-ul-mbps", "--edge-coverage", "--hut", "--hbs"]),
    value=bad_number(NEGATIVE, HUGE),
)
def test_linkbudget(opt, value):
    assert_one_line_error(["linkbudget", opt, value])


@FUZZ
@given(
    opt=st.sampled_from(["--bw", "--scs", "--scaling", "--layers", "--qam"]),
    value=bad_number(NEGATIVE, HUGE),
)
def test_peakrate(opt, value):
    assert_one_line_error(["peakrate", opt, value])


@FUZZ
@given(opt=st.sampled_from(["--fc", "--drops", "--seed"]), value=bad_number(NEGATIVE))
def test_calibrate(opt, value):
    assert_one_line_error(["calibrate", opt, value])


@FUZZ
@given(
    opt=st.sampled_from(
        [
            "--sectors",
            "--price",
            "--co2-factor",
            "--capacity-mbps",
            "--traffic-profile",
            "--sleep-hours",
        ]
    ),
    data=st.data(),
)
def test_energy(opt, data):
    if opt == "--traffic-profile":
        value = data.draw(
            st.one_of(BAD_LISTS, st.sampled_from([",".join(["0.5"] * 23), ",".join(["1.5"] * 24)]))
        )
    elif opt == "--sleep-hours":
        value = data.draw(
            st.sampled_from(["9-21", "8-22", "0-24", "25-3", "a-b", "nan", "9-", "-3", "1,x", "99"])
        )
    else:
        value = data.draw(bad_number(NEGATIVE))
    assert_one_line_error(["energy", opt, value])


@FUZZ
@given(
    opt=st.sampled_from(
        ["--sites", "--reused-share", "--sectors", "--years", "--discount", "--operators"]
    ),
    value=bad_number(NEGATIVE),
)
def test_cost(opt, value):
    args = (
        ["cost", "--sites", "100", opt, value] if opt != "--sites" else ["cost", "--sites", value]
    )
    assert_one_line_error(args)


@FUZZ
@given(data=st.data(), opt=st.sampled_from(["--history", "--until", "--m-max", "--t0"]))
def test_adoption(data, opt):
    with fresh_dir() as tmp:
        if opt == "--history":
            value = write(tmp, "history.csv", data.draw(BAD_CSV))
        elif opt == "--m-max":
            value = data.draw(bad_number(NEGATIVE))
        else:
            value = data.draw(bad_number())
        assert_one_line_error(["adoption", opt, value], tmp)


# --- file-reading commands ------------------------------------------------------


@FUZZ
@given(data=st.data(), which=st.sampled_from(["sites", "area", "resolution", "load"]))
def test_predict(data, which):
    with fresh_dir() as tmp:
        argv = {"--sites": SITES, "--area": AREA, "--resolution": "200", "--load": "0.5"}
        if which == "sites":
            argv["--sites"] = write(tmp, "sites.csv", data.draw(SITES_BAD))
        elif which == "area":
            argv["--area"] = write(tmp, "area.geojson", data.draw(bad_geojson(_AREA_TEXT)))
        elif which == "resolution":
            argv["--resolution"] = data.draw(bad_number(NEGATIVE, HUGE, st.just("0")))
        else:
            argv["--load"] = data.draw(bad_number(NEGATIVE, st.just("1.5")))
        args = ["predict", "--out", tmp / "out"] + [x for kv in argv.items() for x in kv]
        assert_one_line_error(args, tmp)


@FUZZ
@given(data=st.data(), which=st.sampled_from(["area", "population", "resolution"]))
def test_regions_demand(data, which):
    with fresh_dir() as tmp:
        area, pop, res = AREA, None, "200"
        if which == "area":
            area = write(tmp, "area.geojson", data.draw(bad_geojson(_AREA_TEXT)))
        elif which == "population":
            pop = write(tmp, "pop.tif", data.draw(st.one_of(st.just(b""), BINARY)))
        else:
            res = data.draw(bad_number(NEGATIVE, st.just("0")))
        args = ["regions", "demand", "--area", area, "--resolution", res, "--out", tmp / "out"]
        if pop is not None:
            args += ["--population", pop]
        assert_one_line_error(args, tmp)


@FUZZ
@given(data=st.data(), which=st.sampled_from(["area", "population", "resolution", "config"]))
def test_plan_area(data, which):
    with fresh_dir() as tmp:
        area, pop, res, cfg = AREA, None, "200", None
        if which == "area":
            area = write(tmp, "area.geojson", data.draw(bad_geojson(_AREA_TEXT)))
        elif which == "population":
            pop = write(
                tmp,
                data.draw(st.sampled_from(["pop.tif", "pop.geojson", "pop.csv"])),
                data.draw(st.one_of(st.just(b""), BINARY, st.just(b"lon,lat\n121.47,31.23\n"))),
            )
        elif which == "resolution":
            res = data.draw(bad_number(NEGATIVE, st.just("0")))
        else:
            cfg = write(tmp, "plan.toml", data.draw(BAD_TOML))
        args = ["plan", "--area", area, "--resolution", res, "--out", tmp / "out"]
        if pop is not None:
            args += ["--population", pop]
        if cfg is not None:
            args += ["--config", cfg]
        assert_one_line_error(args, tmp)


@FUZZ
@given(
    data=st.data(),
    which=st.sampled_from(["area", "devices", "config", "resolution", "profile", "band"]),
)
def test_private(data, which):
    with fresh_dir() as tmp:
        argv = {"--area": FACTORY, "--profile": "factory", "--resolution": "5"}
        if which == "area":
            argv["--area"] = write(tmp, "site.geojson", data.draw(bad_geojson(_FACTORY_TEXT)))
        elif which == "devices":
            argv["--devices"] = write(tmp, "devices.csv", data.draw(BAD_CSV))
        elif which == "config":
            argv["--config"] = write(tmp, "over.toml", data.draw(BAD_TOML))
        elif which == "resolution":
            argv["--resolution"] = data.draw(bad_number(NEGATIVE, st.just("0")))
        elif which == "profile":
            argv["--profile"] = data.draw(
                st.sampled_from(["", "fab", "nan", "port,mine", "FACTORY!"])
            )
        else:
            argv["--band"] = data.draw(st.sampled_from(["", "n999", "3.5GHz", "nan", "n78,n79"]))
        args = ["private", "--out", tmp / "out"] + [x for kv in argv.items() for x in kv]
        assert_one_line_error(args, tmp)


def _bad_run_dir(tmp: Path, kind: str, junk: bytes) -> Path:
    run = tmp / "run"
    if kind == "missing":
        return run
    if kind == "file":
        run.write_bytes(junk)
        return run
    run.mkdir()
    if kind == "manifest":
        (run / "manifest.json").write_bytes(junk)
    elif kind == "summary":
        (run / "manifest.json").write_text("{}")
        (run / "national.json").write_bytes(junk)
    return run


RUN_KINDS = st.sampled_from(["missing", "file", "empty", "manifest", "summary"])


@FUZZ
@given(
    kind=RUN_KINDS, junk=st.one_of(st.just(b""), BINARY, st.just(b'{"cities": 3'), st.just(b"[]"))
)
def test_report(kind, junk):
    with fresh_dir() as tmp:
        run = _bad_run_dir(tmp, kind, junk)
        assert_one_line_error(["report", run, "--out", tmp / "out" / "report.html"], tmp)


@FUZZ
@given(max_cities=bad_number(NEGATIVE))
def test_report_max_cities(max_cities):
    with fresh_dir() as tmp:
        (tmp / "run").mkdir()
        assert_one_line_error(
            ["report", tmp / "run", "--max-cities", max_cities, "--out", tmp / "r.html"], tmp
        )


@FUZZ
@given(
    kind=RUN_KINDS, junk=st.one_of(st.just(b""), BINARY, st.just(b'{"cities": 3'), st.just(b"[]"))
)
def test_compare(kind, junk):
    with fresh_dir() as tmp:
        run = _bad_run_dir(tmp, kind, junk)
        assert_one_line_error(["compare", run, run, "--out", tmp / "cmp.html"], tmp)


@FUZZ
@given(data=st.data(), which=st.sampled_from(["years", "resolution", "config", "cities"]))
def test_rollout(data, which):
    with fresh_dir() as tmp:
        argv = {"--cities": "Shanghai", "--years": "2020-2021", "--resolution": "2000"}
        if which == "years":
            argv["--years"] = data.draw(
                st.sampled_from(
                    ["2019-2021", "2020-2030", "abc", "", "2021-2020", "2020,,2021", "nan"]
                )
            )
        elif which == "resolution":
            argv["--resolution"] = data.draw(bad_number(NEGATIVE, st.just("0")))
        elif which == "config":
            argv["--config"] = write(tmp, "plan.toml", data.draw(BAD_TOML))
        else:
            argv["--cities"] = data.draw(st.sampled_from(["", "Atlantis", ",,", "nan"]))
        args = ["rollout", "--out", tmp / "out"] + [x for kv in argv.items() for x in kv]
        assert_one_line_error(args, tmp)


@FUZZ
@given(data=st.data(), which=st.sampled_from(["year", "resolution", "config", "cities"]))
def test_sensitivity(data, which):
    with fresh_dir() as tmp:
        argv = {"--cities": "Shanghai", "--year": "2020", "--resolution": "2000"}
        if which == "year":
            argv["--year"] = data.draw(st.sampled_from(["2019", "2030", "abc", "", "nan", "-1"]))
        elif which == "resolution":
            argv["--resolution"] = data.draw(bad_number(NEGATIVE, st.just("0")))
        elif which == "config":
            argv["--config"] = write(tmp, "plan.toml", data.draw(BAD_TOML))
        else:
            argv["--cities"] = data.draw(st.sampled_from(["", "Atlantis", ",,", "nan"]))
        args = ["sensitivity", "--out", tmp / "out"] + [x for kv in argv.items() for x in kv]
        assert_one_line_error(args, tmp)
