"""The contract every corpus adapter meets: built through ``build_collection`` from its fake
original tree (``tests/corpus_trees/<split>.py``), the collection holds exactly the expected
records with the vocabulary's dataset/language/license, and the adapter carries its constants."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter

import pytest

from cameo_bench.builder import build_collection
from cameo_bench.vocab import SPLITS, corpus_info

KEYS = ("origin", "emotion", "transcription", "speaker_id", "gender", "age")


@pytest.mark.parametrize("split", SPLITS)
def test_built_records_equal_the_tree(split, tmp_path, layouts):
    make_tree = importlib.import_module(f"support.corpus_trees.{split}").make_tree
    expected = make_tree(tmp_path / "src", layouts)
    report = build_collection(tmp_path / "src", tmp_path / "out", corpora=[split])
    assert report.kept == {split: len(expected)}

    built = report.to_dict()["clips"][split]
    origin_of = {c["file_id"]: c["origin"] for c in built}
    lines = (tmp_path / "out" / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    info = corpus_info(split)
    for r in records:
        assert (r["dataset"], r["language"], r["license"]) == (info.name, info.language,
                                                               info.license)
        assert r["emotion"] in info.labels
    got = [{"origin": origin_of[r["file_id"]], **{k: r[k] for k in KEYS[1:]}} for r in records]

    def multiset(rows):
        return Counter(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)

    assert multiset(got) == multiset({k: e[k] for k in KEYS} for e in expected)
