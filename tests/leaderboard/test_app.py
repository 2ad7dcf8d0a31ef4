"""The Gradio app on 127.0.0.1: the page and its config carry the rows (hostile text escaped),
and the submission form validates, re-scores and rejects."""

from __future__ import annotations

import json
import runpy
import socket
import time

import httpx
import pytest
from gradio_client import Client, handle_file

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
    assert overall["headers"][:2] == ["Status", "System"]
    names = [row[1] for row in overall["data"]]
    assert names[0] == HOSTILE_NAME and names.count("Qwen2-Audio") == 3
    assert names[-2:] == ["chance", "majority"]
    assert {"French", "Polish", "Bengali"} <= set(tables[1]["headers"])


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
    outcome = client.predict(handle_file(str(good)), *meta, fn_index=_submit_index(client))
    assert outcome[0].startswith("verified: Other <b>system</b>")
    assert "Other <b>system</b>" in [e["name"] for e in store.entries()]
    bad, _ = write_submission(tmp, make_predictions()[1:], name="bad")
    outcome = client.predict(handle_file(str(bad)), *meta, fn_index=_submit_index(client))
    assert outcome[0] == ("rejected: run (temperature 0, prompt cameo-v1) misses 1 of the "
                          "collection's 26 clips, e.g. 'cafe-anger-0.flac'; every run must "
                          "answer every clip once")


def test_page_renders_rows_as_text_in_a_browser(served, tmp_path):
    url, _, _ = served
    browser = Browser(tmp_path / "profile")
    try:
        browser.goto(url)
        # rows stored after start-up appear: each page load re-reads the store
        for _ in range(200):
            if browser.eval("document.body.innerText.includes('Late system')"):
                break
            time.sleep(0.05)
        assert browser.eval("document.body.innerText.includes('Late system')")
        assert browser.eval(f"document.body.innerText.includes({json.dumps(HOSTILE_NAME)})")
        assert browser.eval("document.body.innerText.includes('Qwen2-Audio')")
        assert browser.eval("typeof window.__pwned") == "undefined"
        browser.screenshot(REPO / "test-artifacts" / "leaderboard-app.png")
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


def test_board_frame_views():
    data = read_board(None)
    frame = board_frame(data, "emotion")
    assert list(frame["Status"]) == ["reported"] * 12
    qwen = frame[(frame["System"] == "Qwen2-Audio") & (frame["T"] == "0")].iloc[0]
    assert qwen["anger"] == pytest.approx(0.483)
