"""The static site in headless Chromium: every view has a URL (a detail view survives a reload),
rows are ranked by macro-F1 only within their collection with chance and majority drawn at
their value, the rank and system columns stay put while wide tabs scroll, group columns are in
natural case-insensitive order, every row shows its coverage, detail bars have an axis and a
chance mark, and no injected script runs. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import json
import time
from dataclasses import replace

import pytest

from cameo_bench.leaderboard.board import read_board
from cameo_bench.leaderboard.results_store import open_store
from cameo_bench.leaderboard.site import write_site
from cameo_bench.vocab import CORPORA
from support import REPO
from support.cdp_browser import Browser
from support.leaderboard_data import (
    HOSTILE_NAME,
    make_predictions,
    write_collection,
    write_submission,
)

pytestmark = pytest.mark.slow  # each test drives headless Chromium

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
    # always the next offered label: below chance everywhere
    wrong = [replace(p, response=p.labels[(p.labels.index(p.emotion) + 1) % len(p.labels)])
             for p in make_predictions("org/contrarian", seed=3)]
    path, _ = write_submission(tmp, wrong, name="s3")
    store.submit(path, {"name": "Contrarian", "family": "family 3"}, n_resamples=20)
    return write_site(read_board(store).to_json(), tmp / "out")


@pytest.fixture(scope="module")
def page(site, tmp_path_factory):
    browser = Browser(tmp_path_factory.mktemp("profile"))
    try:
        browser.goto(site.as_uri())
        yield browser
    finally:
        browser.close()


def _show(page, site, fragment: str = "") -> None:
    """Open the view of ``fragment`` (a hash change on the loaded page, as a link would)."""
    page.goto(f"{site.as_uri()}#{fragment}")


def _reload(page) -> None:
    page.eval("window.__before_reload = 1")
    page.send("Page.reload", session=True)
    deadline = time.monotonic() + 30
    while page.eval("typeof window.__before_reload") != "undefined" or \
            page.eval("document.readyState") != "complete":
        assert time.monotonic() < deadline, "the page did not reload"
        time.sleep(0.05)


def _rows(page) -> list[dict]:
    """Every data row in page order: its section, status, key and cells by column id."""
    return page.eval("""[...document.querySelectorAll('#board tbody tr.row')].map((tr) => ({
        section: tr.parentElement.dataset.collection,
        status: [...tr.classList].find((c) => c !== 'row' && c !== 'selected'),
        key: tr.dataset.key,
        cells: Object.fromEntries([...tr.children].map((td) => [td.dataset.col, td.textContent])),
    }))""")


def _headers(page) -> list[str]:
    return page.eval("[...document.querySelectorAll('#board thead th')].map(t => t.dataset.col)")


def _value(text: str) -> float:
    return float(text.split(" ± ")[0])


def _paper_macro_f1(shared) -> list[float]:
    with open(shared / "reference" / "paper_results.tsv", encoding="utf-8") as f:
        return [float(r["value"]) for r in csv.DictReader(f, delimiter="\t")
                if (r["scope"], r["metric"]) == ("overall", "macro_f1")]


def test_renders_every_row_as_text(page, site):
    _show(page, site)
    rows = _rows(page)
    assert len(rows) == 12 + 3 + 2  # reported, verified, chance and majority
    names = [r["cells"]["name"] for r in rows]
    assert names.count(HOSTILE_NAME) == 1 and names.count("Qwen2-Audio") == 3


def test_no_injected_script_ran(page, site):
    _show(page, site)
    assert page.eval("typeof window.__pwned") == "undefined"
    assert page.eval("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.eval("document.scripts.length") == 2
    errors = [e for e in page.events if e.get("method") == "Runtime.exceptionThrown"]
    assert errors == []


def test_ranked_by_macro_f1_within_each_collection(page, site, shared):
    _show(page, site)
    rows = _rows(page)
    sections = list(dict.fromkeys(r["section"] for r in rows))
    assert sections[0] == "full" and sections[1].startswith("sha256:") and len(sections) == 2
    paper = [r for r in rows if r["section"] == "full"]
    assert {r["status"] for r in paper} == {"reported"}
    assert [_value(r["cells"]["m:macro_f1"]) for r in paper] == sorted(
        _paper_macro_f1(shared), reverse=True)
    assert [r["cells"]["rank"] for r in paper] == [str(i) for i in range(1, 13)]
    ours = [r for r in rows if r["section"] == sections[1]]
    assert [r["cells"]["rank"] for r in ours if r["status"] == "verified"] == ["1", "2", "3"]
    values = [_value(r["cells"]["m:macro_f1"]) for r in ours]
    assert values == sorted(values, reverse=True)  # the references sit at their own value
    order = [r["cells"]["name"].split(" ")[0] for r in ours]
    assert order == [HOSTILE_NAME.split(" ")[0], "Weak", "chance", "majority", "Contrarian"]
    assert page.eval("""[...document.querySelectorAll('tr.row')].filter((tr) =>
        tr.textContent.includes('Contrarian'))[0].querySelector('td[data-col="m:macro_f1"]')
        .classList.contains('below-chance')""")


def test_every_row_shows_its_coverage_and_subsets_are_marked(page, site):
    _show(page, site)
    rows = _rows(page)
    for r in rows:
        clips = r["cells"]["coverage"]
        if r["section"] == "full":
            assert clips == f"{sum(c.samples for c in CORPORA.values()):,}"
        else:
            assert clips == "subset 26 · 2/13 corpora"
    heads = page.eval(
        "[...document.querySelectorAll('tr.collection-head')].map((t) => t.textContent)")
    assert heads[0].startswith("Full collection (41,265 clips) ")
    assert heads[1].startswith("26 clips, 2 of 13 corpora subset not the full collection")
    assert "CaFE, nEMO" in heads[1]
    subset = rows[-1]["section"]
    _show(page, site, "collection=full")
    assert {r["status"] for r in _rows(page)} == {"reported"}
    _show(page, site, f"collection={subset}")
    assert {r["section"] for r in _rows(page)} == {subset}
    assert page.eval("document.getElementById('collection').value") == subset


def test_group_columns_in_natural_case_insensitive_order(page, site):
    _show(page, site, "tab=dataset")
    groups = [h[2:] for h in _headers(page) if h.startswith("g:")]
    assert groups == sorted((c.name for c in CORPORA.values()), key=str.casefold)
    assert groups.index("eNTERFACE") < groups.index("JL-Corpus")
    assert groups.index("nEMO") < groups.index("Oréau") < groups.index("SUBESCO")
    _show(page, site, "tab=emotion")
    emotions = [h[2:] for h in _headers(page) if h.startswith("g:")]
    assert emotions == sorted(emotions, key=str.casefold) and len(emotions) == 17


def test_rank_and_system_columns_stay_put_while_a_wide_tab_scrolls(page, site):
    _show(page, site, "tab=dataset")
    where = """(() => {
        const row = document.querySelectorAll('#board tbody tr.row')[1];
        const left = (col) => row.querySelector(`td[data-col="${col}"]`)
            .getBoundingClientRect().left;
        return [left('rank'), left('name'), left('g:SUBESCO')];
    })()"""
    assert page.eval("document.getElementById('board-scroll').scrollWidth") > page.eval(
        "document.getElementById('board-scroll').clientWidth")
    before = page.eval(where)
    page.eval("document.getElementById('board-scroll').scrollLeft = 300")
    after = page.eval(where)
    assert after[:2] == before[:2]
    assert after[2] == pytest.approx(before[2] - 300, abs=1)
    shot = page.screenshot(ARTIFACTS / "leaderboard-site-dataset-scrolled.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.eval("document.getElementById('board-scroll').scrollLeft = 0")


def test_sorting_keeps_collections_apart_and_is_in_the_url(page, site):
    _show(page, site)
    page.eval("document.querySelector('th[data-col=\"m:macro_f1\"]').click()")
    assert page.eval("location.hash") == "#sort=m%3Amacro_f1&dir=asc"
    for section in ("full", "sha256:"):
        values = [_value(r["cells"]["m:macro_f1"]) for r in _rows(page)
                  if r["section"].startswith(section)]
        assert values == sorted(values)
    page.eval("document.querySelector('th[data-col=\"m:weighted_f1\"]').click()")
    _reload(page)
    assert page.eval("location.hash") == "#sort=m%3Aweighted_f1&dir=desc"
    assert page.eval("document.querySelector('th[data-col=\"m:weighted_f1\"]')"
                     ".getAttribute('aria-sort')") == "descending"
    rows = _rows(page)
    for section in ("full", "sha256:"):
        values = [_value(r["cells"]["m:weighted_f1"]) for r in rows
                  if r["section"].startswith(section)]
        assert values == sorted(values, reverse=True)


def _set(page, element_id: str, value: str) -> None:
    page.eval(f"""(() => {{ const e = document.getElementById({json.dumps(element_id)});
        e.value = {json.dumps(value)};
        e.dispatchEvent(new Event(e.tagName === 'INPUT' ? 'input' : 'change')); }})()""")


def test_filters_by_search_status_family_and_language(page, site):
    _show(page, site)
    names = lambda: [r["cells"]["name"] for r in _rows(page) if r["status"] != "reference"]  # noqa: E731
    _set(page, "search", "ULTRA")
    assert set(names()) == {"Ultravox"}
    assert page.eval("location.hash") == "#q=ULTRA"
    _set(page, "search", "")
    _set(page, "status", "verified")
    assert sorted(names()) == sorted([HOSTILE_NAME, "Weak system", "Contrarian"])
    _set(page, "family", "family 2")
    assert names() == ["Weak system"]
    _show(page, site, "language=Polish")
    headers = page.eval("[...document.querySelectorAll('#board thead th')].map(t => t.textContent)")
    assert "Macro-F1 (Polish)" in headers
    # the paper reports no accuracy per language
    assert [r["cells"]["m:accuracy"] for r in _rows(page)].count("–") == 12


def test_a_detail_view_has_a_url_and_survives_a_reload(page, site):
    _show(page, site)
    page.eval("""[...document.querySelectorAll('#board button.open')]
        .find((b) => b.textContent === 'Weak system').click()""")
    key = page.eval("document.querySelector('tr.row.selected').dataset.key")
    assert page.eval("location.hash") == "#system=" + page.eval(
        f"encodeURIComponent({json.dumps(key)})")
    assert page.eval("document.getElementById('detail').hidden") is False
    page.eval("document.querySelector('button[data-view=\"dataset\"]').click()")
    link = page.eval("location.href")
    _reload(page)
    assert page.eval("location.href") == link
    assert page.eval("document.getElementById('detail').hidden") is False
    assert page.eval("document.getElementById('detail-title').textContent").startswith(
        "Weak system (T=0")
    assert page.eval("document.querySelector('#tabs [aria-selected=\"true\"]').dataset.view") \
        == "dataset"
    page.eval("document.getElementById('close-detail').click()")
    assert page.eval("document.getElementById('detail').hidden") is True
    assert page.eval("location.hash") == "#tab=dataset"
    page.eval("history.back()")  # the browser's back button reopens it
    deadline = time.monotonic() + 10
    while page.eval("document.getElementById('detail').hidden"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    _show(page, site, "system=nobody")
    assert page.eval("document.getElementById('detail').hidden") is True
    assert page.eval("document.getElementById('missing').textContent") == (
        'No system "nobody" on this board.')


def test_detail_view_shows_plots_and_confusion(page, site):
    _show(page, site)
    page.eval("""[...document.querySelectorAll('#board button.open')]
        .find((b) => b.textContent.startsWith('<script>')).click()""")
    assert page.eval("document.getElementById('detail-title').textContent").startswith(
        HOSTILE_NAME)
    assert page.eval("document.querySelectorAll('#detail-plots svg').length") == 3
    facts = page.eval("Object.fromEntries([...document.querySelectorAll('#detail-facts dt')]"
                      ".map((dt) => [dt.textContent, dt.nextElementSibling.textContent]))")
    assert facts["clips"] == "subset: 26 clips of 2 of 13 corpora"
    assert facts["corpora"] == "CaFE 14, nEMO 12"
    assert facts["clips fingerprint"].startswith("sha256:")
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


def test_detail_bars_have_an_axis_a_chance_mark_and_clear_value_labels(page, site):
    _show(page, site)
    page.eval("""[...document.querySelectorAll('#board button.open')]
        .find((b) => b.textContent === 'Weak system').click()""")
    plot = """(() => {
        const svg = document.querySelector('#detail-plots .plot[data-scope="dataset"] svg');
        const bars = [...svg.querySelectorAll('g.bar')].map((g) => {
            const whisker = g.querySelector('line.whisker');
            return {group: g.dataset.group,
                    value: g.querySelector('text.value').getBBox().x,
                    whisker: whisker ? Math.max(+whisker.getAttribute('x1'),
                                                +whisker.getAttribute('x2')) : null,
                    chance: g.querySelector('line.chance') ? +g.querySelector('line.chance')
                        .getAttribute('x1') : null,
                    bar: +g.querySelector('rect').getAttribute('width')};
        });
        const ticks = [...svg.querySelectorAll('text.tick')].map((t) => t.textContent);
        const axis = svg.querySelector('line.axis');
        return {bars, ticks, x0: +axis.getAttribute('x1'), x1: +axis.getAttribute('x2')};
    })()"""
    drawn = page.eval(plot)
    assert drawn["ticks"] == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    assert [b["group"] for b in drawn["bars"]] == ["CaFE", "nEMO"]
    row = next(r for r in read_json_rows(page) if r["name"] == "Weak system")
    chance = next(r for r in read_json_rows(page) if r["name"] == "chance")
    width = drawn["x1"] - drawn["x0"]
    for bar in drawn["bars"]:
        value = row["cells"][f"dataset|{bar['group']}|macro_f1"][0]
        floor = chance["cells"][f"dataset|{bar['group']}|macro_f1"][0]
        assert bar["bar"] == pytest.approx(value * width, abs=0.01)
        assert bar["chance"] == pytest.approx(drawn["x0"] + floor * width, abs=0.01)
        assert bar["value"] > drawn["x1"] >= bar["whisker"]  # labels clear of the whiskers
    shot = page.screenshot(ARTIFACTS / "leaderboard-site-detail.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def read_json_rows(page) -> list[dict]:
    """The rows as embedded in the page (the data the script renders)."""
    return page.eval("JSON.parse(document.getElementById('board-data').textContent).rows")
