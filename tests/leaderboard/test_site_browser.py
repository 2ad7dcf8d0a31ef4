"""The static site in headless Chromium: it renders, sorts, filters, opens a detail view, runs no
injected script, and leaves a screenshot in test-artifacts/."""

from __future__ import annotations

import json

import pytest

from cameo_bench.leaderboard.board import read_board
from cameo_bench.leaderboard.results_store import open_store
from cameo_bench.leaderboard.site import write_site
from support import REPO
from support.cdp_browser import Browser
from support.leaderboard_data import (
    HOSTILE_NAME,
    make_predictions,
    write_collection,
    write_submission,
)

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    store = open_store(tmp / "store", write_collection(tmp / "collection"))
    for name, skill, seed in ((HOSTILE_NAME, 0.9, 1), ("Weak system", 0.2, 2)):
        path, _ = write_submission(tmp, make_predictions(name, skill=skill, seed=seed),
                                   name=f"s{seed}")
        store.submit(path, {"name": name, "family": f"family {seed}",
                            "url": "https://example.org/a?b=1&c=2"}, n_resamples=20)
    return write_site(read_board(store).to_json(), tmp / "out")


@pytest.fixture(scope="module")
def page(site, tmp_path_factory):
    browser = Browser(tmp_path_factory.mktemp("profile"))
    try:
        browser.goto(site.as_uri())
        yield browser
    finally:
        browser.close()


def _column(page, col: str) -> list[str]:
    return page.eval(f"""(() => {{
        const i = [...document.querySelectorAll('#board thead th')]
            .findIndex((th) => th.dataset.col === {json.dumps(col)});
        return [...document.querySelectorAll('#board tbody tr:not(.reference)')]
            .map((tr) => tr.children[i].textContent);
    }})()""")


def _set(page, element_id: str, value: str) -> None:
    page.eval(f"""(() => {{ const e = document.getElementById({json.dumps(element_id)});
        e.value = {json.dumps(value)};
        e.dispatchEvent(new Event(e.tagName === 'INPUT' ? 'input' : 'change')); }})()""")


def _float(cell: str) -> float:
    return float(cell.split(" ± ")[0])


def test_renders_every_row_as_text(page):
    assert page.eval("document.querySelectorAll('#board tbody tr').length") == 16
    names = _column(page, "name")
    assert names.count(HOSTILE_NAME) == 1 and names.count("Qwen2-Audio") == 3
    statuses = page.eval("[...document.querySelectorAll('#board tbody tr')].map(r => r.className)")
    assert statuses[-2:] == ["reference", "reference"]


def test_no_injected_script_ran(page):
    assert page.eval("typeof window.__pwned") == "undefined"
    assert page.eval("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.eval("document.scripts.length") == 2
    errors = [e for e in page.events if e.get("method") == "Runtime.exceptionThrown"]
    assert errors == []


def test_sorts_by_a_metric_both_ways(page):
    page.eval("document.querySelector('th[data-col=\"m:macro_f1\"]').click()")
    values = [_float(v) for v in _column(page, "m:macro_f1")]
    assert values == sorted(values, reverse=True) and len(values) == 14
    page.eval("document.querySelector('th[data-col=\"m:macro_f1\"]').click()")
    values = [_float(v) for v in _column(page, "m:macro_f1")]
    assert values == sorted(values)
    assert page.eval("document.querySelector('th[data-col=\"m:macro_f1\"]')"
                     ".getAttribute('aria-sort')") == "ascending"


def test_filters_by_search_status_family_and_language(page):
    _set(page, "search", "ULTRA")
    assert set(_column(page, "name")) == {"Ultravox"}
    _set(page, "search", "")
    _set(page, "status", "verified")
    assert sorted(_column(page, "name")) == sorted([HOSTILE_NAME, "Weak system"])
    _set(page, "family", "family 2")
    assert _column(page, "name") == ["Weak system"]
    _set(page, "family", "")
    _set(page, "status", "")
    _set(page, "language", "Polish")
    headers = page.eval("[...document.querySelectorAll('#board thead th')].map(t => t.textContent)")
    assert "Macro-F1 (Polish)" in headers
    # the paper reports no accuracy per language
    assert _column(page, "m:accuracy").count("–") == 12
    _set(page, "language", "")
    page.eval("document.querySelector('button[data-view=\"dataset\"]').click()")
    headers = page.eval("[...document.querySelectorAll('#board thead th')].map(t => t.textContent)")
    assert {"CaFE", "nEMO", "Oréau", "SUBESCO"} <= set(headers)
    page.eval("document.querySelector('button[data-view=\"overall\"]').click()")


def test_detail_view_shows_plots_and_confusion(page):
    page.eval("""[...document.querySelectorAll('#board button.open')]
        .find((b) => b.textContent.startsWith('<script>')).click()""")
    assert page.eval("document.getElementById('detail').hidden") is False
    assert page.eval("document.getElementById('detail-title').textContent").startswith(
        HOSTILE_NAME)
    assert page.eval("document.querySelectorAll('#detail-plots svg').length") == 3
    assert page.eval("document.querySelectorAll('#detail-confusion table.confusion tr').length") \
        == 1 + 7  # header + the 7 classes offered across CaFE and nEMO
    assert page.eval("document.querySelector('#detail-facts a').getAttribute('href')") == (
        "https://example.org/a?b=1&c=2")
    _set(page, "confusion-scope", "2")
    assert page.eval("document.querySelectorAll('#detail-confusion table.confusion tr').length") \
        == 1 + 6  # nEMO's six labels
    assert page.eval("typeof window.__pwned") == "undefined"
    shot = page.screenshot(ARTIFACTS / "leaderboard-site.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
