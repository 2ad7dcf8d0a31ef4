"""The results store: content-hash names, re-scoring with the project's scorer, index, safety."""

from __future__ import annotations

import hashlib
import json
import random
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from sklearn.metrics import accuracy_score, f1_score

from cameo_bench.errors import BusyError, CameoError
from cameo_bench.fileio import exclusive_lock
from cameo_bench.leaderboard import results_store
from cameo_bench.leaderboard.results_store import CollectionIndex, ResultsStore, open_store
from cameo_bench.leaderboard.validate import SubmissionRejected
from cameo_bench.parse import parse_answer
from cameo_bench.predictions import read_predictions
from cameo_bench.records import UNPARSED
from cameo_bench.vocab import CORPORA
from support.leaderboard_data import (
    HOSTILE_NAME,
    clip_records,
    make_predictions,
    write_collection,
    write_submission,
)
from support.processes import run_cameo


@pytest.fixture
def collection(tmp_path):
    return write_collection(tmp_path / "collection")


def _cell(sub, temperature, scope, group, metric):
    (rec,) = [r for r in sub["scores"] if (r["model"], r["temperature"], r["scope"], r["group"],
                                            r["metric"]) == (sub["model"], temperature, scope,
                                                             group, metric)]
    return rec


def test_submission_is_rescored_ignoring_submitted_parsed(tmp_path, collection):
    store = open_store(tmp_path / "store", collection)
    preds = make_predictions(temperatures=(0.0, 0.7))
    lying = [replace(p, parsed=p.emotion) for p in preds]  # claims every answer is right
    path, _ = write_submission(tmp_path, lying)
    entry = store.submit(path, {"name": "Liar"}, n_resamples=50)
    sub = store.load(entry["id"]).to_json()
    for t in (0.0, 0.7):
        rows = [p for p in preds if p.temperature == t]
        gold = [p.emotion for p in rows]
        answers = [parse_answer(p.response, p.labels) for p in rows]
        assert _cell(sub, t, "overall", "all", "accuracy")["value"] == pytest.approx(
            accuracy_score(gold, answers))
        assert _cell(sub, t, "overall", "all", "accuracy")["value"] < 1.0
        cafe = [(g, a) for g, a, p in zip(gold, answers, rows, strict=True)
                if p.dataset == "CaFE"]
        assert _cell(sub, t, "dataset", "CaFE", "macro_f1")["value"] == pytest.approx(f1_score(
            [g for g, _ in cafe], [a for _, a in cafe], labels=list(CORPORA["cafe"].labels),
            average="macro", zero_division=0))
        overall = sub["confusion"][f"{t!r}|cameo-v1"][0]
        assert overall["scope"] == "overall"
        assert sum(map(sum, overall["counts"])) == len(rows)
        unparsed = sum(a == UNPARSED for a in answers)
        assert sum(row[-1] for row in overall["counts"]) == unparsed
    assert {r["model"] for r in sub["scores"]} == {"org/model", "chance", "majority"}
    assert sub["scorer"] == {"parser": "cameo-parse-1", "n_resamples": 50, "seed": 0}


def _id_of(rows: bytes, meta: dict) -> str:
    digest = hashlib.sha256(rows)
    digest.update((json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode())
    return digest.hexdigest()


def test_ids_are_content_hashes_and_files_never_use_submitted_names(tmp_path, collection):
    store = open_store(tmp_path / "store", collection)
    meta = {"name": "../../../escape", "family": "/etc/passwd"}
    preds = [replace(p, model="../../model", prompt_hash=None) for p in make_predictions()]
    path, _ = write_submission(tmp_path, preds)
    entry = store.submit(path, meta, n_resamples=0)
    stored = store.root / "predictions" / f"{entry['id']}.jsonl"
    assert entry["id"] == _id_of(stored.read_bytes(), meta)
    assert entry["predictions_sha256"] == hashlib.sha256(stored.read_bytes()).hexdigest()
    assert sorted(read_predictions(stored), key=lambda p: p.key) == sorted(
        preds, key=lambda p: p.key)
    files = sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())
    assert files == [".lock", "collection.json", "index.json",
                     f"predictions/{entry['id']}.jsonl", f"submissions/{entry['id']}.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collection", "store", "sub.jsonl",
                                                          "sub.meta.json"]


def _variants(path, tmp_path) -> dict[str, object]:
    """The same predictions written other ways: what a re-submission by content looks like."""
    lines = path.read_text(encoding="utf-8").splitlines()
    objs = [json.loads(line) for line in lines]
    shuffled = list(lines)
    random.Random(3).shuffle(shuffled)
    out = {
        "extra newline": path.read_text(encoding="utf-8") + "\n",
        "blank lines inside": "\n\n".join(lines) + "\n",
        "lines reordered": "\n".join(shuffled) + "\n",
        "keys sorted, indented JSON escapes": "".join(
            json.dumps(o, sort_keys=True, ensure_ascii=True, indent=None,
                       separators=(" , ", " : ")) + "\r\n" for o in objs),
        "parsed filled in, 0 for 0.0": "".join(
            json.dumps(o | {"parsed": o["emotion"], "temperature": 0}) + "\n" for o in objs),
    }
    files = {}
    for i, (name, text) in enumerate(out.items()):
        files[name] = tmp_path / f"variant{i}.jsonl"
        files[name].write_text(text, encoding="utf-8", newline="")
    return files


def test_resubmission_by_content_is_recognized(tmp_path, collection):
    store = open_store(tmp_path / "store", collection)
    path, _ = write_submission(tmp_path, make_predictions(seed=4))
    first = store.submit(path, {"name": "A"}, n_resamples=0)
    index = (store.root / "index.json").read_bytes()
    for name, variant in _variants(path, tmp_path).items():
        assert store.submit(variant, {"name": "A"}, n_resamples=0) == first, name
        with pytest.raises(SubmissionRejected, match="already in the store as 'A'"):
            store.submit(variant, {"name": "A copy"}, n_resamples=0)
    assert (store.root / "index.json").read_bytes() == index
    other = [replace(p, response=p.response + "!") if i == 0 else p
             for i, p in enumerate(make_predictions(seed=4))]
    changed, _ = write_submission(tmp_path, other, name="changed")
    assert store.submit(changed, {"name": "A"}, n_resamples=0)["id"] != first["id"]


def test_resubmitting_is_idempotent_and_index_sorted(tmp_path, collection):
    store = open_store(tmp_path / "store", collection)
    a, _ = write_submission(tmp_path, make_predictions(seed=1), name="a")
    b, _ = write_submission(tmp_path, make_predictions(seed=2), name="b")
    first = store.submit(a, {"name": HOSTILE_NAME}, n_resamples=0)
    before = (store.root / "index.json").read_bytes()
    assert store.submit(a, {"name": HOSTILE_NAME}, n_resamples=0) == first
    assert (store.root / "index.json").read_bytes() == before
    with pytest.raises(SubmissionRejected, match="already in the store as '<script>"):
        store.submit(a, {"name": "renamed copy"}, n_resamples=0)
    store.submit(b, {"name": "B", "family": "Fam"}, n_resamples=0)
    entries = ResultsStore(store.root).entries()
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    assert {e["name"]: e["family"] for e in entries} == {HOSTILE_NAME: HOSTILE_NAME, "B": "Fam"}


def test_tampered_index_ids_are_not_used_as_paths(tmp_path, collection):
    store = open_store(tmp_path / "store", collection)
    (store.root / "index.json").write_text(json.dumps([{"id": "../collection"}]))
    with pytest.raises(CameoError, match="bad submission id"):
        store.submissions()


def test_store_needs_a_collection_and_keeps_it(tmp_path, collection):
    with pytest.raises(CameoError, match="not a results store"):
        open_store(tmp_path / "nowhere")
    store = open_store(tmp_path / "store", collection)
    assert open_store(tmp_path / "store", collection).collection == store.collection
    # the hash recorded with submissions, read from the file, is the index's content hash
    assert store.collection_sha256 == CollectionIndex.from_source(collection).sha256
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps(clip_records()[0].to_dict()) + "\n", encoding="utf-8")
    with pytest.raises(CameoError, match="created for another collection"):
        open_store(tmp_path / "store", other)


def test_a_malformed_collection_names_the_line(tmp_path):
    bad = tmp_path / "metadata.jsonl"
    bad.write_text(json.dumps(clip_records()[0].to_dict()) + "\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(CameoError, match=r"metadata.jsonl:2: not a metadata record"):
        CollectionIndex.from_source(bad)


def test_collection_index_from_metadata():
    index = CollectionIndex.from_records(clip_records())
    assert len(index.clips) == 26
    assert index.languages == {"CaFE": "French", "nEMO": "Polish"}
    assert index.label_sets["nEMO"] == CORPORA["nemo"].labels
    assert re.fullmatch(r"[0-9a-f]{64}", index.sha256)
    assert CollectionIndex.from_json(index.to_json()) == index


@pytest.mark.slow
def test_concurrent_submits_all_land(tmp_path, collection):
    """Six `cameo leaderboard submit` processes at once into a store none of them finds: each
    creates it or opens it, and every submission is in the index afterwards."""
    store = tmp_path / "store"
    subs = [write_submission(tmp_path, make_predictions(f"org/m{i}", seed=i), {"name": f"S{i}"},
                             name=f"s{i}") for i in range(6)]
    with ThreadPoolExecutor(len(subs)) as pool:
        done = list(pool.map(lambda sub: run_cameo(
            "leaderboard", "submit", sub[0], "--meta", sub[1], "--results", store,
            "--collection", collection, "--resamples", "0"), subs))
    assert [p.returncode for p in done] == [0] * len(subs), [p.stderr for p in done]
    entries = ResultsStore(store).entries()
    assert sorted(e["name"] for e in entries) == [f"S{i}" for i in range(6)]
    assert [s.name for s in ResultsStore(store).submissions()] == [e["name"] for e in entries]


def test_a_writer_waits_for_the_lock_then_names_its_holder(tmp_path, collection, monkeypatch):
    store = open_store(tmp_path / "store", collection)
    path, _ = write_submission(tmp_path, make_predictions())
    monkeypatch.setattr(results_store, "LOCK_WAIT", 0.3)
    with exclusive_lock(store.root / ".lock", "test holder"), pytest.raises(BusyError) as info:
        store.submit(path, {"name": "blocked"}, n_resamples=0)
    assert str(info.value).startswith(f"results store {store.root} is in use by pid ")
    assert "\n" not in str(info.value)
    assert store.entries() == []
    assert store.submit(path, {"name": "blocked"}, n_resamples=0)["name"] == "blocked"
