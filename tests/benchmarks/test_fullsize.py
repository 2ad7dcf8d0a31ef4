"""The benchmarks' full-size inputs (``benchmarks/fullsize.py``), generated small: a nEMO tree
the build reads whole, and a collection with Table 1's proportions that the reader opens, both
the same bytes on every run."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

import pytest

from cameo_bench.builder import build_collection
from cameo_bench.collection import open_collection
from cameo_bench.collection.stats import collection_stats
from cameo_bench.vocab import CORPORA

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import fullsize  # noqa: E402

SCALE = 0.004  # 165 clips over the 13 splits


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    return fullsize.full_collection(tmp_path_factory.mktemp("bench"), SCALE, workers=2)


@pytest.mark.slow
def test_the_nemo_tree_builds_whole_with_realistic_durations(tmp_path):
    root = fullsize.nemo_tree(tmp_path, 40, workers=2)
    report = build_collection(root, tmp_path / "out", corpora=["nemo"])
    assert report.kept == {"nemo": 40} and not report.dropped and not report.problems
    seconds = [c.source_frames / c.source_rate for c in report.clips["nemo"]]
    assert {c.source_rate for c in report.clips["nemo"]} == {24_000}
    assert 2.0 < statistics.mean(seconds) < 3.0  # the real nEMO: 3:04:21 / 4,481 = 2.47 s
    assert fullsize.nemo_tree(tmp_path, 40) == root  # cached: not generated again


def test_the_collection_has_table_1_proportions(collection):
    c = open_collection(collection)
    clips = c.clips()
    counts = {s: sum(x.split == s for x in clips) for s in c.splits}
    assert counts == {s: max(1, round(info.samples * SCALE)) for s, info in CORPORA.items()}
    for clip in clips:
        assert clip.record.emotion in CORPORA[clip.split].labels
        assert clip.record.dataset == CORPORA[clip.split].name
    assert len({x.record.file_id for x in clips}) == len(clips)
    meta = [json.loads(line) for line in
            (collection / "metadata.jsonl").read_text(encoding="utf-8").split("\n") if line]
    assert [m["file_id"] for m in meta] == [x.record.file_id for x in clips]
    stats = {r.split: r for r in collection_stats(c).corpora}
    for split in ("pavoque", "mesd"):  # the longest and the shortest clips of CAMEO
        h, m, s = (int(v) for v in CORPORA[split].duration.split(":"))
        mean = (3600 * h + 60 * m + s) / CORPORA[split].samples
        assert stats[split].seconds / stats[split].samples == pytest.approx(mean, rel=0.02)


@pytest.mark.slow
def test_the_collection_is_the_same_bytes_every_time(collection, tmp_path):
    again = fullsize.full_collection(tmp_path, SCALE, workers=1)
    for path in sorted(collection.rglob("*")):
        if path.is_file():
            assert (again / path.relative_to(collection)).read_bytes() == path.read_bytes()
