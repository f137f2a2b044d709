"""The report in a real browser: headless Chromium (Debian package) driven by Playwright.

Asserts no console error, no request leaving the file (every URL is file: or
data:), the national KPI table as rendered equals summary.json, the ranking
table sorts, and saves a screenshot under ``test-artifacts/``. Skipped with a
reason when ``/usr/bin/chromium`` or Playwright is missing (no browser is
ever downloaded).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nrplan.report import write_compare_html, write_report
from nrplan.report.compare import compare_runs

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip("headless Chromium not installed (/usr/bin/chromium: apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser, path: Path):
    """Open ``path``; return (page, requested URLs, console errors)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    urls: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(200)  # let late requests (fonts, favicon) show up
    return page, urls, errors


def test_report_in_chromium(browser, real_run: Path, kpi_tools, tmp_path: Path) -> None:
    _, shown_matches = kpi_tools
    report = write_report(real_run, out=tmp_path / "report.html")
    page, urls, errors = _open(browser, report)
    try:
        assert errors == []
        assert urls and all(u.startswith(("file:", "data:")) for u in urls), urls
        # every image decoded (embedded PNGs are valid)
        n_img, n_ok = page.evaluate(
            "() => { const i = Array.from(document.images);"
            " return [i.length, i.filter(x => x.complete && x.naturalWidth > 0).length]; }"
        )
        assert n_img >= 3 and n_ok == n_img
        # the rendered national KPI table equals summary.json
        national = json.loads((real_run / "summary.json").read_text())["national"]
        rows = page.eval_on_selector_all(
            "#national-kpis tbody tr",
            "rs => rs.map(r => [r.dataset.key, r.cells[1].innerText, r.cells[2].innerText])",
        )
        assert {"sites", "sectors", "area_coverage", "sinr_p50", "dl_p5"} <= {r[0] for r in rows}
        for key, shown, unit in rows:
            if key.startswith("economics."):
                continue  # checked against summary.json in test_html
            assert shown_matches(shown.strip(), unit.strip(), national[key]), (key, shown, unit)
        # the ranking sorts on click: ascending by sites puts Sansha (0 sites) first
        col = page.eval_on_selector_all(
            "#ranking-table thead th", "hs => hs.map(h => h.innerText.trim())"
        ).index("sites")
        page.click(f"#ranking-table thead th:nth-child({col + 1})")
        first = page.inner_text("#ranking-table tbody tr:first-child td:nth-child(2)")
        assert first.strip() == "Sansha"
        page.click(f"#ranking-table thead th:nth-child({col + 1})")
        first = page.inner_text("#ranking-table tbody tr:first-child td:nth-child(2)")
        assert first.strip() == "Jiayuguan"
        assert errors == []
        art = Path(__file__).resolve().parents[2] / "test-artifacts"
        art.mkdir(exist_ok=True)
        page.screenshot(path=str(art / "report.png"), full_page=True)
        shutil.copyfile(report, art / "report.html")
    finally:
        page.close()


def test_compare_in_chromium(browser, make_run, tmp_path: Path) -> None:
    a, b = make_run(n_cities=1), make_run(n_cities=2, economics=True)
    html = write_compare_html(compare_runs([a, b]), tmp_path / "compare.html")
    page, urls, errors = _open(browser, html)
    try:
        assert errors == []
        assert all(u.startswith(("file:", "data:")) for u in urls), urls
        assert page.locator("#compare tbody tr").count() > 10
    finally:
        page.close()
