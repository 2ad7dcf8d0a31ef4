"""Reported rows, the board data and the static page: escaping, CSP, determinism."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cameo_bench.leaderboard.board import read_board
from cameo_bench.leaderboard.reported import read_reported
from cameo_bench.leaderboard.results_store import open_store
from cameo_bench.leaderboard.site import embed_json, render_site, write_site
from cameo_bench.vocab import CORPORA, LANGUAGES
from support.leaderboard_data import (
    HOSTILE_NAME,
    make_predictions,
    write_collection,
    write_submission,
)


def test_packaged_reported_numbers_are_the_papers(shared):
    packaged = resources.files("cameo_bench").joinpath("resources/paper_results.tsv").read_bytes()
    assert packaged == (shared / "reference" / "paper_results.tsv").read_bytes()


def test_reported_runs_carry_every_published_number(shared):
    with open(shared / "reference" / "paper_results.tsv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["group"] != "All"]
    runs = {(r["name"], r["temperature"]): r for r in (r.to_json() for r in read_reported())}
    assert len(runs) == 12
    for row in rows:
        cells = runs[(row["model"], float(row["temperature"]))]["cells"]
        group = row["group"]
        if row["scope"] == "dataset":
            group = {"Oreau": "Oréau"}.get(group[:-5], group[:-5])
        value, low, high = cells[f"{row['scope']}|{group}|{row['metric']}"]
        half = float(row["ci95_halfwidth"])
        assert (value, low, high) == pytest.approx(
            (float(row["value"]), float(row["value"]) - half, float(row["value"]) + half))
    groups = {k.split("|")[1] for r in runs.values() for k in r["cells"]}
    assert {c.name for c in CORPORA.values()} | set(LANGUAGES) <= groups
    assert "All" not in groups


@given(st.text())
def test_embedded_json_cannot_close_the_script_block(text):
    embedded = embed_json({"name": text, "</script>": [text]})
    assert not set("<>&\u2028\u2029") & set(embedded)
    assert json.loads(embedded) == {"name": text, "</script>": [text]}


@pytest.fixture
def board(tmp_path):
    store = open_store(tmp_path / "store", write_collection(tmp_path / "collection"))
    path, _ = write_submission(tmp_path, make_predictions(temperatures=(0.0, 0.7)))
    store.submit(path, {"name": HOSTILE_NAME, "family": "Fam"}, n_resamples=20)
    return read_board(store).to_json()


def test_board_rows(board):
    statuses = [r["status"] for r in board["rows"]]
    assert statuses[:12] == ["reported"] * 12  # the full collection's section first
    assert sorted(statuses[12:]) == ["reference"] * 2 + ["verified"] * 2
    assert [c["id"] for c in board["collections"]] == ["full", board["rows"][-1]["collection"]]
    assert board["collections"][1]["title"] == "26 clips, 2 of 13 corpora"
    assert board["collections"][1]["corpora"] == ["CaFE", "nEMO"]
    for row in board["rows"]:
        assert row["coverage"]["full"] == (row["collection"] == "full")
        assert (row["rank"] is None) == (row["status"] == "reference")
    verified = next(r for r in board["rows"] if r["status"] == "verified")
    assert verified["name"] == HOSTILE_NAME and verified["family"] == "Fam"
    assert {"overall|all|macro_f1", "language|French|macro_f1", "dataset|nEMO|macro_f1",
            "emotion|surprise|f1", "overall|all|unparsed_rate"} <= set(verified["cells"])
    scopes = [m["scope"] for m in verified["confusion"]]
    assert scopes == ["overall", "dataset:CaFE", "dataset:nEMO"]
    assert [r["name"] for r in board["rows"] if r["status"] == "reference"] == [
        "chance", "majority"]


def _inline(page: str, tag: str) -> str:
    (body,) = re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.S)
    return body


def test_page_embeds_data_safely_with_a_strict_csp(board):
    page = render_site(board)
    assert HOSTILE_NAME not in page and "window.__pwned" in page
    assert page.count("<script") == 2 and page.count("</script>") == 2
    (data,) = re.findall(r'<script type="application/json" id="board-data">(.*?)</script>', page,
                         flags=re.S)
    assert json.loads(data) == json.loads(json.dumps(board))
    (csp,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    for kind, tag in (("script-src", "script"), ("style-src", "style")):
        digest = base64.b64encode(hashlib.sha256(_inline(page, tag).encode()).digest()).decode()
        assert f"{kind} 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_script_never_parses_data_as_html():
    js = resources.files("cameo_bench").joinpath("resources/leaderboard/leaderboard.js")
    code = js.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "setTimeout(\""):
        assert sink not in code


def test_site_is_deterministic(board, tmp_path):
    a = write_site(board, tmp_path / "a").read_bytes()
    b = write_site(json.loads(json.dumps(board)), tmp_path / "b").read_bytes()
    assert a == b
