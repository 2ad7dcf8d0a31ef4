"""The Gradio app on 127.0.0.1: the page and its config carry the rows (hostile text escaped) in
the board's order with values rounded as on the static site, the Details tab shows a system on
load, the submission form validates, re-scores and rejects, and a port in use is one line."""

from __future__ import annotations

import csv
import json
import re
import runpy
import socket
import time

import httpx
import pytest
from gradio_client import Client, handle_file

from cameo_bench.cli import run
from cameo_bench.leaderboard.app import board_frame, build_app
from cameo_bench.leaderboard.board import read_board
from cameo_bench.leaderboard.results_store import open_store
from support import REPO
from support.cdp_browser import Browser
from support.leaderboard_data import (
    HOSTILE_NAME,
    make_predictions,
    write_collection,
    write_submission,
)

pytestmark = pytest.mark.slow  # each test starts a Gradio server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    store = open_store(tmp / "store", write_collection(tmp / "collection"))
    path, _ = write_submission(tmp, make_predictions(HOSTILE_NAME))
    store.submit(path, {"name": HOSTILE_NAME}, n_resamples=20)
    demo = build_app(store.root, n_resamples=20)
    late, _ = write_submission(tmp, make_predictions("late/model", seed=9), name="late")
    store.submit(late, {"name": "Late system"}, n_resamples=0)  # after the app was built
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/", store, tmp
    finally:
        demo.close()


def _leaderboards(config: dict) -> list[dict]:
    return [c["props"]["value"] for c in config["components"] if c.get("type") == "leaderboard"]


def test_config_holds_every_row(served):
    url, _, _ = served
    config = httpx.get(url + "config", timeout=30).json()
    tables = _leaderboards(config)
    assert len(tables) == 4  # overall, per language, per dataset, per emotion
    overall = tables[0]
    assert overall["headers"][:4] == ["Rank", "System", "Status", "Collection"]
    names = [row[1] for row in overall["data"]]
    assert names[:12].count("Qwen2-Audio") == 3  # the full collection's rows first
    assert names[12:] == [HOSTILE_NAME, "chance", "majority"]  # then the subset, by value
    assert [row[0] for row in overall["data"]][:13] == [*range(1, 13), 1]
    assert {row[3] for row in overall["data"][12:]} == {"subset: 26 clips, 2 of 13 corpora"}
    assert {row[3] for row in overall["data"][:12]} == {"full (41,265 clips)"}
    assert {"French", "Polish", "Bengali"} <= set(tables[1]["headers"])


_ROUNDED = re.compile(r"^\d\.\d{3} ± \d\.\d{4}$")


def test_values_are_rounded_as_on_the_site_in_one_column(served, shared):
    url, _, _ = served
    overall = _leaderboards(httpx.get(url + "config", timeout=30).json())[0]
    headers = overall["headers"]
    assert headers == ["Rank", "System", "Status", "Collection", "T", "Macro-F1", "Weighted-F1",
                       "Accuracy", "Unparsed", "Family", "Model", "Prompt"]  # no ± columns
    with open(shared / "reference" / "paper_results.tsv", encoding="utf-8") as f:
        paper = {(r["model"], float(r["temperature"])): r for r in csv.DictReader(f, delimiter="\t")
                 if (r["scope"], r["metric"]) == ("overall", "macro_f1")}
    for row in overall["data"]:
        record = dict(zip(headers, row, strict=True))
        if record["Status"] == "reported":
            published = paper[(record["System"], float(record["T"]))]
            assert record["Macro-F1"] == (f"{float(published['value']):.3f} ± "
                                          f"{float(published['ci95_halfwidth']):.4f}")
        else:
            assert _ROUNDED.match(record["Macro-F1"]), record["Macro-F1"]


def test_details_tab_shows_the_preselected_system_on_load(served):
    url, _, _ = served
    config = httpx.get(url + "config", timeout=30).json()
    (pick,) = [c for c in config["components"]
               if c.get("type") == "dropdown" and c["props"].get("label") == "System"]
    assert pick["props"]["value"].startswith(f"verified: {HOSTILE_NAME} T=0 cameo-v1 [")
    (facts,) = [c for c in config["components"]
                if c.get("type") == "dataframe" and c["props"].get("label") == "About"]
    about = dict(facts["props"]["value"]["data"])
    assert about["name"] == HOSTILE_NAME and about["status"] == "verified"
    assert about["collection"] == "subset: 26 clips, 2 of 13 corpora"
    plots = [c for c in config["components"] if c.get("type") == "plot"]
    assert len(plots) == 3 and all(p["props"]["value"] is not None for p in plots)


def test_a_port_in_use_is_one_line_naming_the_option(served, capsys):
    _, store, _ = served
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run(["leaderboard", "serve", str(store.root), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err == (f"error: port {port} on 127.0.0.1 is in use (another server?); choose "
                   "another with --port\n")


def test_page_escapes_submitted_text(served):
    url, _, _ = served
    page = httpx.get(url, timeout=30).text
    assert HOSTILE_NAME not in page
    assert json.dumps(HOSTILE_NAME)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("'", "\\u0027") in page


def test_submission_form(served):
    url, store, tmp = served
    client = Client(url, verbose=False)
    good, _ = write_submission(tmp, make_predictions("other/model", seed=5), name="good")
    meta = ["Other <b>system</b>", "", "", "", "", "", ""]
    outcome = client.predict(handle_file(str(good)), None, *meta, fn_index=_submit_index(client))
    assert outcome[0].startswith("verified: Other <b>system</b>")
    assert "Other <b>system</b>" in [e["name"] for e in store.entries()]
    bad, _ = write_submission(tmp, make_predictions()[1:], name="bad")
    outcome = client.predict(handle_file(str(bad)), None, *meta, fn_index=_submit_index(client))
    assert outcome[0] == ("rejected: run (temperature 0, prompt cameo-v1) misses 1 of the "
                          "collection's 26 clips, e.g. 'cafe-anger-0.flac'; every run must "
                          "answer every clip once")


def _wait_for(browser, expression: str) -> None:
    for _ in range(200):
        if browser.eval(expression):
            return
        time.sleep(0.05)
    raise AssertionError(f"never true: {expression}")


def test_page_renders_rows_as_text_in_a_browser(served, tmp_path):
    url, _, _ = served
    browser = Browser(tmp_path / "profile")
    try:
        browser.goto(url)
        # a value of the paper's Qwen2-Audio row and the filters' checkboxes: the page is drawn
        _wait_for(browser, "document.body.innerText.includes('0.191 ± 0.0062') && "
                           "document.querySelectorAll('input[type=checkbox]').length > 5")
        time.sleep(2)  # the components fade in after the page's load event
        browser.screenshot(REPO / "test-artifacts" / "leaderboard-app.png")
        # only the subset's rows: the full collection's twelve are filtered out
        browser.eval("""[...document.querySelectorAll('label')].find((l) =>
            l.textContent.trim().startsWith('full (')).querySelector('input').click()""")
        # rows stored after start-up appear: each page load re-reads the store
        _wait_for(browser, "document.body.innerText.includes('Late system')")
        assert browser.eval(f"document.body.innerText.includes({json.dumps(HOSTILE_NAME)})")
        assert browser.eval("typeof window.__pwned") == "undefined"
        browser.eval("""[...document.querySelectorAll('button[role=tab]')]
            .find((b) => b.textContent.trim() === 'Details').click()""")
        _wait_for(browser, "document.body.innerText.includes('clips fingerprint')")
        assert browser.eval("document.querySelectorAll('.js-plotly-plot, img, svg').length") > 0
        assert browser.eval("typeof window.__pwned") == "undefined"
        browser.screenshot(REPO / "test-artifacts" / "leaderboard-app-details.png")
    finally:
        browser.close()


def test_space_entry_point_builds_the_app(served, monkeypatch):
    import gradio as gr

    _, store, _ = served
    monkeypatch.setenv("CAMEO_RESULTS", str(store.root))
    space = runpy.run_path(str(REPO / "space" / "app.py"), run_name="space_app")
    assert isinstance(space["demo"], gr.Blocks)
    assert space["results"] == store.root


def _submit_index(client: Client) -> int:
    (index,) = [i for i, dep in enumerate(client.config["dependencies"])
                if dep.get("api_name") == "submit"]
    return index


def test_board_frame_views(shared):
    data = read_board(None)
    frame = board_frame(data, "emotion")
    assert list(frame["Status"]) == ["reported"] * 12
    assert list(frame["Rank"]) == list(range(1, 13))
    qwen = frame[(frame["System"] == "Qwen2-Audio") & (frame["T"] == "0")].iloc[0]
    with open(shared / "reference" / "paper_results.tsv", encoding="utf-8") as f:
        (anger,) = [r for r in csv.DictReader(f, delimiter="\t")
                    if (r["model"], r["temperature"], r["scope"], r["group"]) ==
                    ("Qwen2-Audio", "0.0", "emotion", "anger")]
    assert qwen["anger"] == f"{float(anger['value']):.3f} ± {float(anger['ci95_halfwidth']):.4f}"
    groups = [c for c in frame.columns if c not in ("Rank", "System", "Status", "Collection",
                                                      "Family", "Model", "T", "Prompt")]
    assert groups == sorted(groups, key=str.casefold)
    later = frame[(frame["System"] == "Qwen2-Audio") & (frame["T"] == "0.3")].iloc[0]
    assert later["anger"] == "–"  # the paper gives per-group numbers at T=0 only
