"""The loop's ``generate_halving``: one bad clip no longer aborts a run (issue 9, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cameo_bench.backends import Backend, GenerationConfig
from cameo_bench.cli import run as cli
from cameo_bench.collection import open_collection
from cameo_bench.errors import CameoError
from cameo_bench.evaluation import RunConfig, evaluate
from cameo_bench.evaluation.loop import LoopState, generate_halving, requests_by_duration
from cameo_bench.predictions import read_predictions
from cameo_bench.prompts import get_prompt
from support.audio_backends import LongClipRefused, install
from support.eval_collections import DEFAULT_LAYOUT, make_collection

N_CLIPS = sum(DEFAULT_LAYOUT.values())


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return make_collection(tmp_path_factory.mktemp("collection"))


@pytest.fixture(scope="module")
def requests(collection):
    c = open_collection(collection)
    [window] = requests_by_duration(c, c.clips(), get_prompt(), N_CLIPS)
    return window  # longest first


def test_a_failing_batch_is_retried_clip_by_clip(requests):
    backend = LongClipRefused(max_samples=len(requests[1].audio))  # only the longest fails
    state = LoopState(batch_size=4)
    answers = generate_halving(backend, requests[:4], GenerationConfig(), state)
    assert [a.error for a in answers[:1]] == [
        f"ValueError: audio of {len(requests[0].audio)} samples is longer than "
        f"{len(requests[1].audio)}"]
    assert answers[1:] == [r.labels[0] for r in requests[1:4]]
    assert all(getattr(a, "error", None) is None for a in answers[1:])
    assert backend.calls == 1 + 4 and state.batch_size == 4  # not an out-of-memory halving


def test_a_message_for_the_user_and_a_whole_collection_backend_are_not_retried(requests):
    class Misconfigured(Backend):
        model_id = "x"

        def generate(self, requests, config):
            raise CameoError("pip install something")

    class Folds(LongClipRefused):
        whole_collection = True

    with pytest.raises(CameoError, match="pip install"):
        generate_halving(Misconfigured(), requests[:3], GenerationConfig(), LoopState())
    with pytest.raises(ValueError, match="longer than"):
        generate_halving(Folds(len(requests[1].audio)), requests, GenerationConfig(),
                         LoopState())


def test_the_run_goes_on_and_retry_failed_answers_the_clip(monkeypatch, collection, requests,
                                                           tmp_path, capsys):
    install(monkeypatch, LongClipRefused(max_samples=len(requests[1].audio)))
    args = ["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
            "-t", "0.0", "0.7", "-b", "4", "--no-scores"]
    assert cli(args) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "0 already done, 2 failed" in err
    assert "2 clip(s) failed (each row holds its error): rerun the same command with " \
           "--retry-failed" in err
    rows = read_predictions(tmp_path / "predictions.jsonl")
    failed = [r for r in rows if r.error]
    assert len(rows) == 2 * N_CLIPS and len(failed) == 2
    assert {r.file_id for r in failed} == {requests[0].record.file_id}
    assert all(r.parsed == "unparsed" and r.response == "" for r in failed)

    install(monkeypatch, LongClipRefused(max_samples=len(requests[0].audio)))  # fixed
    result = evaluate(RunConfig("random", collection, temperatures=(0.0, 0.7), batch_size=4,
                                retry_failed=True), tmp_path)
    assert (result.answered, result.failed) == (2, 0)
    rows = read_predictions(tmp_path / "predictions.jsonl")
    assert len(rows) == 2 * N_CLIPS and not any(r.error for r in rows)


def test_an_answer_with_a_lone_surrogate_is_stored_and_the_run_reads_back(monkeypatch,
                                                                          collection, tmp_path):
    """A server may send ``"\\ud800"`` in its JSON: the client hands Python a lone surrogate that
    no UTF-8 file can hold, and writing the row crashed the run. It is stored as U+FFFD."""

    class Surrogate(Backend):
        model_id, revision = "surrogate", "1"

        def generate(self, requests, config):
            return [f"{r.labels[0]} \ud800!" for r in requests]

    install(monkeypatch, Surrogate())
    result = evaluate(RunConfig("random", collection), tmp_path)
    rows = read_predictions(result.predictions)
    assert len(rows) == N_CLIPS
    assert all(r.response == f"{r.labels[0]} \ufffd!" and r.parsed == r.labels[0] for r in rows)
