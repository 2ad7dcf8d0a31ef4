"""The cross-validated baselines through the runner: answers are a function of the run's clips
and settings only (issue 11: a torn-line resume and a sharded run disagreed with an
uninterrupted one because they trained on the clips still to answer), computed once and cached,
and ``majority`` reads no audio."""

from __future__ import annotations

from pathlib import Path

import pytest

from cameo_bench.backends import GenerationConfig
from cameo_bench.backends.egemaps_logreg import EgemapsLogregBackend
from cameo_bench.collection import reader
from cameo_bench.collection.reader import Collection
from cameo_bench.evaluation import RunConfig, evaluate, parse_shard
from cameo_bench.predictions import read_predictions
from support.demo import requests_of
from support.tone_collections import tone_collection

LAYOUT = {"cafe": 9, "nemo": 9, "ravdess": 6}
N_CLIPS = sum(LAYOUT.values())
TEMPERATURES = (0.0, 0.7)


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return tone_collection(tmp_path_factory.mktemp("collection"), LAYOUT, seconds=0.4)


def run(collection: Path, out: Path, model: str, cache: Path, options_c: float = 1.0, **kw):
    options = {"workers": 1, "progress": False, "cache_dir": str(cache), "C": options_c} \
        if model == "egemaps-logreg" else {}
    return evaluate(RunConfig(model, collection, temperatures=TEMPERATURES, options=options,
                              **kw), out)


@pytest.mark.parametrize("model", ["majority", pytest.param("egemaps-logreg",
                                                            marks=pytest.mark.slow)])
def test_a_torn_line_resume_and_three_shards_give_the_uninterrupted_bytes(collection, tmp_path,
                                                                         model):
    reference = run(collection, tmp_path / "once", model, tmp_path / "cache-once")
    assert reference.complete and reference.answered == N_CLIPS * len(TEMPERATURES)
    expected = (tmp_path / "once" / "predictions.jsonl").read_bytes()
    assert len({r.response for r in read_predictions(tmp_path / "once" / "predictions.jsonl")
                if r.dataset == "CaFE"}) > 1  # the folds' models differ: the answers can

    torn = tmp_path / "torn"
    run(collection, torn, model, tmp_path / "cache-torn")
    lines = (torn / "predictions.jsonl").read_bytes().splitlines(keepends=True)
    (torn / "predictions.jsonl").write_bytes(b"".join(lines[:-5]) + lines[-5][:30])
    # a new answer cache: the resume must compute what the uninterrupted run did, not read it
    resumed = run(collection, torn, model, tmp_path / "cache-resume")
    assert resumed.complete and resumed.answered == 5
    assert (torn / "predictions.jsonl").read_bytes() == expected

    sharded = tmp_path / "sharded"
    for i in range(3):
        part = run(collection, sharded, model, tmp_path / f"cache-shard{i}",
                   shard=parse_shard(f"{i}/3"))
        assert not part.complete and 0 < part.answered < N_CLIPS * len(TEMPERATURES)
    merged = run(collection, sharded, model, tmp_path / "cache-merge")
    assert merged.complete and merged.answered == 0
    assert (sharded / "predictions.jsonl").read_bytes() == expected


def test_answers_are_computed_once_then_read(collection, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = run(collection, tmp_path / "a", "egemaps-logreg", cache)
    assert len(list((cache / "answers").glob("*.json"))) == 1

    def no_features(self, *args):
        raise AssertionError("features computed again instead of the cached answers read")

    monkeypatch.setattr(EgemapsLogregBackend, "features", no_features)
    second = run(collection, tmp_path / "b", "egemaps-logreg", cache, limit=N_CLIPS)
    assert second.notes == first.notes
    assert (tmp_path / "b" / "predictions.jsonl").read_bytes() == \
        (tmp_path / "a" / "predictions.jsonl").read_bytes()
    with pytest.raises(AssertionError, match="features computed again"):  # other settings
        run(collection, tmp_path / "c", "egemaps-logreg", cache, options_c=0.5)


def test_majority_reads_no_audio(collection, tmp_path, monkeypatch):
    """issue 15: majority never uses audio, yet the runner decoded (and held) every clip."""
    def no_audio(*args, **kwargs):
        raise AssertionError("majority read audio")

    for name in ("audio", "audio_bytes"):
        monkeypatch.setattr(Collection, name, no_audio)
    monkeypatch.setattr(reader, "decode_clip", no_audio)
    result = run(collection, tmp_path, "majority", tmp_path)
    assert result.complete and result.answered == N_CLIPS * len(TEMPERATURES)


@pytest.mark.slow
def test_answers_do_not_depend_on_the_order_of_the_clips(collection, tmp_path):
    requests = requests_of(collection)
    backend = EgemapsLogregBackend("egemaps-logreg", protocol="speaker-cv", folds=5, C=1.0,
                                   workers=1, cache_dir=str(tmp_path), progress=False)
    forward = backend.generate(requests, GenerationConfig())
    backward = backend.generate(requests[::-1], GenerationConfig())
    assert forward == backward[::-1]
