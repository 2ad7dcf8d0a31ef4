"""The driver's writer: finished units appended in any order end as the canonical file that
merge_run writes from scratch, without parsing them again; what it cannot vouch for goes
through merge_run."""

from __future__ import annotations

import random
import shutil

import pytest

from cameo_bench.collection import open_collection
from cameo_bench.evaluation import run_folder
from cameo_bench.evaluation.loop import UnitResult
from cameo_bench.evaluation.run_folder import load_rows, merge_run
from cameo_bench.evaluation.writer import UnitWriter
from cameo_bench.predictions import to_lines
from cameo_bench.prompts import offered_labels
from cameo_bench.records import Prediction
from support.eval_collections import make_collection

TEMPS = (0.0, 0.3, 0.7)


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    return open_collection(make_collection(tmp_path_factory.mktemp("c"))).clips()


def _row(clip, temperature: float, error: str | None = None) -> Prediction:
    labels = list(offered_labels(clip.split))
    return Prediction(clip.record.file_id, clip.record.dataset, clip.record.language,
                      clip.record.emotion, labels, "m", "1", temperature, "cameo-v1",
                      "" if error else labels[0], parsed=labels[0], prompt_hash="h",
                      error=error)


def _results(clips, keys):
    """One result per group of 5 (pass, position) keys, in the given order."""
    for k in range(0, len(keys), 5):
        part = keys[k:k + 5]
        text = to_lines(_row(clips[i], TEMPS[p]) for p, i in part)
        yield UnitResult(k, text, tuple(part), 0, 0.0, 1)


def _merged_from_scratch(path, tmp_path):
    copy = tmp_path / "scratch"
    copy.mkdir()
    shutil.copy(path, copy / "predictions.jsonl")
    return merge_run(copy).read_bytes()


def test_units_in_any_order_end_as_merge_runs_bytes_without_parsing(clips, tmp_path,
                                                                   monkeypatch):
    keys = [(p, i) for p in range(3) for i in range(len(clips))]
    random.Random(0).shuffle(keys)
    path = tmp_path / "predictions.jsonl"
    start = keys[:7]  # rows an earlier session wrote
    path.write_text(to_lines(_row(clips[i], TEMPS[p]) for p, i in start))
    writer = UnitWriter(path, clips, TEMPS, load_rows(path))
    for result in _results(clips, keys[7:]):
        writer.append(result)
    expected = _merged_from_scratch(path, tmp_path)

    def no_parsing(*a, **k):
        raise AssertionError("the writer parsed the file again")

    monkeypatch.setattr(run_folder, "load_rows", no_parsing)
    assert writer.finish() == path
    assert path.read_bytes() == expected
    lines = expected.decode().splitlines()
    assert len(lines) == 3 * len(clips) == len(set(lines))


@pytest.mark.parametrize("case", ["other temperature", "answered twice", "shard file"])
def test_what_the_writer_cannot_vouch_for_goes_through_merge_run(clips, tmp_path, case):
    path = tmp_path / "predictions.jsonl"
    first = _row(clips[0], 0.5 if case == "other temperature" else 0.0,
                 error="boom" if case == "answered twice" else None)
    path.write_text(to_lines([first]))
    if case == "shard file":
        (tmp_path / "predictions.shard-0-of-2.jsonl").write_text(to_lines([_row(clips[1], 0.0)]))
    writer = UnitWriter(path, clips, TEMPS, load_rows(path))
    keys = [(p, i) for p in range(3) for i in range(len(clips))]
    if case == "shard file":
        keys.remove((0, 1))
    for result in _results(clips, keys[::-1]):
        writer.append(result)
    shards = [p.read_bytes() for p in sorted(tmp_path.glob("predictions.shard-*"))]
    combined = path.read_bytes() + b"".join(shards)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "predictions.jsonl").write_bytes(combined)
    expected = merge_run(scratch).read_bytes()
    assert writer.finish().read_bytes() == expected
    assert not list(tmp_path.glob("predictions.shard-*"))
    if case == "answered twice":  # the success is kept, the failure dropped
        assert b"boom" not in expected
