"""``report.html`` in headless Chromium at 1280 px: five runs over 13 corpora and 8 languages,
a paper system on the full collection, a degenerate run. Legends are complete text in the page,
nothing overflows the page's width, numbers do not wrap; screenshots go to test-artifacts/."""

from __future__ import annotations

import dataclasses

import pytest

from cameo_bench.html_report import write_html_report
from cameo_bench.paper import reported_for_runs
from cameo_bench.presentation import run_labels
from cameo_bench.scores import score_runs
from cameo_bench.vocab import CORPORA
from support import REPO
from support.cdp_browser import Browser
from support.scoring_data import full_collection_predictions, make_predictions

pytestmark = pytest.mark.slow  # each test drives headless Chromium

ARTIFACTS = REPO / "test-artifacts"
QWEN = "Qwen/Qwen2-Audio-7B-Instruct"
OTHERS = ("SeaLLMs/SeaLLMs-Audio-7B", "fixie-ai/ultravox-v0_5-llama-3_1-8b",
          "homebrewltd/Ichigo-llama3.1-s-instruct-v0.4", "my-org/a-rather-long-model-name-v1")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    preds = full_collection_predictions(QWEN)
    for i, model in enumerate(OTHERS):
        preds += make_predictions(model, skill=0.2 + 0.15 * i, seed=i, per_corpus=20,
                                  splits=tuple(CORPORA))
    parrot = make_predictions("parrot", seed=9, per_corpus=20, splits=tuple(CORPORA))
    preds += [dataclasses.replace(p, response=p.labels[0]) for p in parrot]
    scored = score_runs(preds, n_resamples=100)
    path = write_html_report(preds, scored.records, tmp_path_factory.mktemp("report"),
                             reported=reported_for_runs(scored.coverage),
                             confusions=scored.confusions)
    return path, run_labels(scored.coverage)


@pytest.fixture(scope="module")
def page(report, tmp_path_factory):
    browser = Browser(tmp_path_factory.mktemp("profile"))
    try:
        browser.goto(report[0].as_uri())
        yield browser
    finally:
        browser.close()


def test_legends_hold_every_run_and_chance_in_full(page, report):
    runs = [label for run, label in report[1].items() if run[0] not in ("chance", "majority")]
    assert len(runs) == 6
    legends = page.eval("""[...document.querySelectorAll('ul.legend')].map((ul) =>
        [...ul.querySelectorAll('li')].map((li) => li.textContent))""")
    assert legends == [runs + ["chance"]] * 3
    # every entry is drawn whole inside the page: nothing clipped, nothing past the right edge
    clipped = page.eval("""[...document.querySelectorAll('ul.legend li')].filter((li) => {
        const r = li.getBoundingClientRect();
        return li.scrollWidth > li.clientWidth + 1 || r.right > window.innerWidth || r.left < 0;
    }).length""")
    assert clipped == 0


def test_nothing_overflows_the_page_at_1280_px(page):
    assert page.eval("window.innerWidth") == 1280
    assert page.eval("document.documentElement.scrollWidth") <= 1280
    figures = page.eval("""[...document.querySelectorAll('svg.bars')].map((svg) => {
        const r = svg.getBoundingClientRect(), box = svg.parentElement.getBoundingClientRect();
        return [r.left >= box.left - 1, r.right <= box.right + 1, r.width > 300];
    })""")
    assert figures == [[True, True, True]] * 3


def test_numbers_stay_on_one_line(page):
    wrapped = page.eval("""[...document.querySelectorAll('td.n')].filter((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return td.textContent && range.getClientRects().length !== 1;
    }).map((td) => td.textContent)""")
    assert wrapped == []
    assert page.eval("document.querySelectorAll('td.n').length") > 500


def test_paper_numbers_warnings_and_screenshots(page):
    shaded = page.eval("document.querySelectorAll('td.reported').length")
    assert shaded > 0
    notes = page.eval("[...document.querySelectorAll('p.warn')].map((p) => p.textContent)")
    assert any(n.startswith("Degenerate run: parrot T=0 answers") for n in notes)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = page.screenshot(ARTIFACTS / "report-html-1280.png")
    assert shot.stat().st_size > 50_000
    top = page.eval("document.querySelector('figure').getBoundingClientRect().top + scrollY")
    page.send("Emulation.setDeviceMetricsOverride", session=True, width=1280, height=900,
              deviceScaleFactor=1, mobile=False)
    page.eval(f"window.scrollTo(0, {top})")
    data = page.send("Page.captureScreenshot", session=True, format="png")["data"]
    import base64

    (ARTIFACTS / "report-html-figures.png").write_bytes(base64.b64decode(data))
