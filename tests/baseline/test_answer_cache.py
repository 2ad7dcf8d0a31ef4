"""The answer cache of the cross-validated baselines: keyed by settings and what training reads of
each clip (not their order), files checked when read, one computing process per key."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import pytest

from cameo_bench.baseline.answer_cache import AnswerCache, answers_key
from cameo_bench.fileio import exclusive_lock
from cameo_bench.records import ClipRecord

SETTINGS = {"backend": "egemaps-logreg", "model": "egemaps-logreg", "revision": "r1"}
LABELS = ("anger", "fear")


def _records(n=3):
    return [ClipRecord(f"{i:064x}.flac", "anger", f"t{i}", f"s{i % 2}", None, None, "CaFE",
                       "French", "L") for i in range(n)]


def test_the_key_is_the_settings_and_what_training_reads_not_the_order():
    records = _records()
    key = answers_key(SETTINGS, records, [LABELS] * 3)
    assert answers_key(SETTINGS, records[::-1], [LABELS] * 3) == key
    changed = [
        answers_key({**SETTINGS, "revision": "r2"}, records, [LABELS] * 3),
        answers_key(SETTINGS, records[:2], [LABELS] * 2),
        answers_key(SETTINGS, [replace(records[0], emotion="fear"), *records[1:]], [LABELS] * 3),
        answers_key(SETTINGS, [replace(records[0], speaker_id="s9"), *records[1:]], [LABELS] * 3),
        answers_key(SETTINGS, [replace(records[0], transcription=None), *records[1:]],
                    [LABELS] * 3),
        answers_key(SETTINGS, [replace(records[0], dataset="RAVDESS"), *records[1:]],
                    [LABELS] * 3),
        answers_key(SETTINGS, records, [LABELS, LABELS, ("anger",)]),
    ]
    assert len({key, *changed}) == len(changed) + 1


def test_answers_come_back_in_the_order_asked(tmp_path):
    cache, ids = AnswerCache(tmp_path), ["c.flac", "a.flac", "b.flac"]
    cache.write("k", ids, ["x", "y", "z"], ["a note"])
    assert cache.read("k", ids) == (["x", "y", "z"], ["a note"])
    assert cache.read("k", ["a.flac", "b.flac", "c.flac"]) == (["y", "z", "x"], ["a note"])


@pytest.mark.parametrize("damage", ["absent", "other clips", "other key", "not json", "not a list",
                                    "answer not text", "one answer short"])
def test_anything_but_the_complete_file_for_these_clips_is_a_miss(tmp_path, damage):
    cache, ids = AnswerCache(tmp_path), ["a.flac", "b.flac"]
    cache.write("k", ids, ["x", "y"], [])
    path = tmp_path / "k.json"
    data = json.loads(path.read_text())
    if damage == "absent":
        path.unlink()
    elif damage == "other clips":
        ids = ["a.flac", "c.flac"]
    elif damage == "other key":
        path.write_text(json.dumps({**data, "key": "j"}))
    elif damage == "not json":
        path.write_text(path.read_text()[:-9])
    elif damage == "not a list":
        path.write_text(json.dumps({**data, "answers": "xy"}))
    elif damage == "answer not text":
        path.write_text(json.dumps({**data, "answers": ["x", 1]}))
    else:
        path.write_text(json.dumps({**data, "answers": ["x"]}))
    assert cache.read("k", ids) is None


def test_a_key_being_computed_elsewhere_is_waited_for_unless_stopped(tmp_path):
    cache, stop = AnswerCache(tmp_path), threading.Event()
    holding, release = threading.Event(), threading.Event()

    def other_process():  # flock: another open file description conflicts like another process
        with exclusive_lock(tmp_path / "k.lock", "test"):
            holding.set()
            release.wait(30)

    other = threading.Thread(target=other_process)
    other.start()
    holding.wait(10)
    threading.Timer(0.3, stop.set).start()
    start = time.monotonic()
    with cache.computing("k", stop) as mine:
        assert mine is False
    assert time.monotonic() - start < 3
    threading.Timer(0.3, release.set).start()
    with cache.computing("k") as mine:
        assert mine is True
        assert release.is_set()
    other.join()
