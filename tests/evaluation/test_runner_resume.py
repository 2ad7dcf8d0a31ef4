"""The runner: complete runs, resume after Ctrl-C, kill -9 and torn lines, stale settings,
shards merged to the same bytes, and out-of-memory batch halving."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from cameo_bench.backends import Backend, Failed, GenerationConfig, Request
from cameo_bench.errors import CameoError
from cameo_bench.evaluation import RunConfig, evaluate, parse_shard
from cameo_bench.evaluation.loop import LoopState, generate_halving
from cameo_bench.predictions import read_predictions
from cameo_bench.prompts import offered_labels
from cameo_bench.records import ClipRecord
from cameo_bench.vocab import corpus_by_name
from support import REPO
from support.eval_collections import DEFAULT_LAYOUT, make_collection

SRC = REPO / "src"
N_CLIPS = sum(DEFAULT_LAYOUT.values())


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return make_collection(tmp_path_factory.mktemp("collection"))


def run(collection: Path, out: Path, **kw):
    kw.setdefault("temperatures", (0.0, 0.7))
    kw.setdefault("batch_size", 2)
    return evaluate(RunConfig("random", collection, **kw), out)


@pytest.fixture(scope="module")
def reference(collection, tmp_path_factory) -> bytes:
    """The predictions of one uninterrupted run."""
    out = tmp_path_factory.mktemp("reference")
    result = run(collection, out)
    assert result.complete and result.answered == 2 * N_CLIPS
    return (out / "predictions.jsonl").read_bytes()


def test_a_complete_run_answers_every_clip_at_every_temperature(reference, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(reference)
    rows = read_predictions(path)
    assert len(rows) == 2 * N_CLIPS
    assert {(r.temperature) for r in rows} == {0.0, 0.7}
    for r in rows:
        assert r.labels == list(offered_labels(corpus_by_name(r.dataset).split))
        assert r.response in r.labels and r.parsed == r.response
        assert (r.model, r.model_revision, r.prompt_id) == ("random", "1", "cameo-v1")
    keys = [(r.model, r.prompt_id, r.temperature, r.dataset, r.file_id) for r in rows]
    assert keys == sorted(keys)


def test_the_manifest_records_settings_versions_and_speed(collection, tmp_path):
    run(collection, tmp_path)
    manifest = json.loads((tmp_path / "run.json").read_text())
    assert manifest["settings"]["temperatures"] == [0.0, 0.7]
    assert manifest["settings"]["max_new_tokens"] == 16
    assert manifest["settings"]["prompt_text"].startswith("You are an audio emotion recognizer.")
    session = manifest["sessions"][-1]
    assert session["status"] == "complete"
    assert session["libraries"]["numpy"] == np.__version__
    assert session["throughput"]["clips"] == 2 * N_CLIPS - 2  # the first batch is warm-up
    assert manifest["throughput"]["clips_per_second"] > 0


def test_a_rerun_answers_nothing_and_keeps_the_bytes(collection, reference, tmp_path):
    run(collection, tmp_path)
    again = run(collection, tmp_path)
    assert (again.answered, again.cached) == (0, 2 * N_CLIPS)
    assert (tmp_path / "predictions.jsonl").read_bytes() == reference


def _when_lines(path: Path, n: int, action) -> threading.Thread:
    """A thread that calls ``action()`` once ``path`` has ``n`` lines (or after 60 s)."""

    def watch():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if path.exists() and path.read_bytes().count(b"\n") >= n:
                break
            time.sleep(0.01)
        action()

    thread = threading.Thread(target=watch)
    thread.start()
    return thread


def test_ctrl_c_stops_after_the_batch_and_the_rerun_completes(collection, reference, tmp_path):
    # The first rows appear after the runner installed its Ctrl-C handler.
    watcher = _when_lines(tmp_path / "predictions.jsonl", 2,
                          lambda: os.kill(os.getpid(), signal.SIGINT))
    first = run(collection, tmp_path, options={"delay": 0.05})
    watcher.join()
    assert first.interrupted and 0 < first.answered < 2 * N_CLIPS
    assert first.answered % 2 == 0  # whole batches only
    second = run(collection, tmp_path)
    assert second.complete and second.answered == 2 * N_CLIPS - first.answered
    assert (tmp_path / "predictions.jsonl").read_bytes() == reference


def test_a_torn_last_line_is_dropped_and_answered_again(collection, reference, tmp_path):
    run(collection, tmp_path, limit=4)
    with open(tmp_path / "predictions.jsonl", "a") as f:
        f.write('{"file_id": "abc", "dataset": "Ca')
    result = run(collection, tmp_path, batch_size=5)  # resuming does not depend on batching
    assert result.answered == 2 * N_CLIPS - 8
    assert (tmp_path / "predictions.jsonl").read_bytes() == reference


@pytest.mark.slow
def test_kill_9_mid_run_then_resume_gives_the_uninterrupted_file(collection, reference, tmp_path):
    cmd = [sys.executable, "-m", "cameo_bench", "evaluate", "-m", "random", "-d", str(collection),
           "-o", str(tmp_path), "-t", "0.0", "0.7", "-b", "2", "-O", "delay=0.1", "--no-scores"]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = tmp_path / "predictions.jsonl"
    _when_lines(path, 4, lambda: proc.send_signal(signal.SIGKILL)).join()
    proc.wait()
    written = path.read_bytes().count(b"\n")
    assert 4 <= written < 2 * N_CLIPS, "the run was not killed mid-way"
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == reference
    sessions = json.loads((tmp_path / "run.json").read_text())["sessions"]
    assert [s["status"] for s in sessions] == ["killed", "complete"]


def test_shards_merge_to_the_bytes_of_a_single_run(collection, reference, tmp_path):
    answered = 0
    for i in range(3):
        result = run(collection, tmp_path, shard=parse_shard(f"{i}/3"))
        assert not result.complete
        assert result.predictions.name == f"predictions.shard-{i}-of-3.jsonl"
        answered += result.answered
    assert answered == 2 * N_CLIPS
    merge = run(collection, tmp_path)
    assert merge.answered == 0 and merge.complete
    assert (tmp_path / "predictions.jsonl").read_bytes() == reference
    files = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".cameo-run."))
    assert files == ["predictions.jsonl", "run.json"]  # and the writers' lock files
    assert len(json.loads((tmp_path / "run.json").read_text())["sessions"]) == 4


def test_a_bad_shard_spec_is_refused():
    with pytest.raises(CameoError, match="I/N"):
        parse_shard("3/3")


@pytest.mark.parametrize(("change", "name"), [({"seed": 1}, "seed"),
                                              ({"max_new_tokens": 8}, "max_new_tokens"),
                                              ({"prompt_id": "cameo-v1", "seed": 2}, "seed")])
def test_a_changed_setting_never_reuses_old_answers(collection, tmp_path, change, name):
    run(collection, tmp_path, limit=3)
    with pytest.raises(CameoError, match=f"made with {name}="):
        run(collection, tmp_path, limit=3, **change)


def test_a_new_temperature_reuses_the_old_ones(collection, tmp_path):
    run(collection, tmp_path, temperatures=(0.0,))
    result = run(collection, tmp_path, temperatures=(0.0, 0.3))
    assert (result.answered, result.cached) == (N_CLIPS, N_CLIPS)
    manifest = json.loads((tmp_path / "run.json").read_text())
    assert manifest["settings"]["temperatures"] == [0.0, 0.3]


class _SmallMemory(Backend):
    """Runs out of memory on batches larger than ``fits``; records the sizes it was asked."""

    model_id = "small-memory"

    def __init__(self, fits: int):
        self.fits, self.calls = fits, []

    def generate(self, requests, config):
        self.calls.append(len(requests))
        if len(requests) > self.fits:
            raise MemoryError("out of memory")
        return [r.labels[0] for r in requests]


def _requests(n: int) -> list[Request]:
    record = ClipRecord("x.flac", "anger", None, None, None, None, "CaFE", "French", "MIT")
    return [Request(record, np.zeros(10, np.float32), "p", ("anger", "fear"))] * n


def test_out_of_memory_halves_the_batch_and_keeps_the_smaller_size():
    backend, progress = _SmallMemory(fits=2), LoopState(batch_size=8)
    answers = generate_halving(backend, _requests(8), GenerationConfig(), progress)
    assert answers == ["anger"] * 8
    assert backend.calls == [8, 4, 2, 2, 4, 2, 2]
    assert progress.batch_size == 2


def test_a_single_clip_out_of_memory_is_recorded_as_failed():
    answers = generate_halving(_SmallMemory(fits=0), _requests(2), GenerationConfig(),
                               LoopState(batch_size=2))
    assert all(isinstance(a, Failed) and "out of memory" in a.error for a in answers)


def test_a_shard_leaves_the_files_of_other_shards_alone(collection, reference, tmp_path):
    run(collection, tmp_path, shard=parse_shard("1/2"))
    other = tmp_path / "predictions.shard-1-of-2.jsonl"
    with open(other, "a") as f:
        f.write('{"file_id": "still being writ')  # shard 1 is mid-write
    before = other.read_bytes()
    run(collection, tmp_path, shard=parse_shard("0/2"))
    assert other.read_bytes() == before
    merged = run(collection, tmp_path)
    assert merged.answered == 0
    assert (tmp_path / "predictions.jsonl").read_bytes() == reference


def test_the_runner_prints_nothing(collection, tmp_path, capfd):
    result = run(collection, tmp_path, temperatures=(0.0,))
    assert result.complete and result.answered == N_CLIPS
    assert capfd.readouterr() == ("", "")


class _WholeCollection(Backend):
    """A cross-validated baseline's shape: every clip of a run in one call."""

    model_id = "whole"
    whole_collection = True

    def __init__(self):
        self.calls = []

    def generate(self, requests, config):
        raise AssertionError("a whole-collection backend is not given batches")

    def answer_collection(self, collection, clips, stop=None):
        self.calls.append(len(clips))
        return [clip.record.emotion for clip in clips]


def test_a_whole_collection_backend_answers_the_run_in_one_call_and_nothing_is_decoded(
        collection, tmp_path, monkeypatch):
    from cameo_bench.collection import open_collection
    from cameo_bench.collection.reader import Collection
    from cameo_bench.evaluation.loop import answer_clips
    from cameo_bench.prompts import get_prompt

    coll = open_collection(collection)
    clips = coll.clips()
    monkeypatch.setattr(Collection, "audio", lambda self, clips: pytest.fail("decoded audio"))
    backend, progress = _WholeCollection(), LoopState(batch_size=2)
    todo = {GenerationConfig(0.0): {c.record.file_id for c in clips[:3]},
            GenerationConfig(0.7): {clips[0].record.file_id}}
    answer_clips(backend, coll, todo, clips[:3], prompt=get_prompt(), path=tmp_path / "p.jsonl",
                 progress=progress, population=clips)
    assert backend.calls == [N_CLIPS]  # trained on the whole run, not the 3 clips to write
    rows = read_predictions(tmp_path / "p.jsonl")
    assert [(r.file_id, r.temperature) for r in rows] == \
        [(c.record.file_id, 0.0) for c in clips[:3]] + [(clips[0].record.file_id, 0.7)]
    assert all(r.response == r.emotion for r in rows) and progress.done == 4
