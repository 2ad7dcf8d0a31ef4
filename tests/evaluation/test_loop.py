"""UnitAnswerer, the loop every worker runs: the unit's rows whoever answers it, pieces handed
out while a slow unit goes on, a stop after the current batch, no decoding for a backend that
needs no audio."""

from __future__ import annotations

import numpy as np
import pytest

from cameo_bench.backends.base import Backend, GenerationConfig
from cameo_bench.backends.random import RandomBackend
from cameo_bench.collection import open_collection
from cameo_bench.evaluation import loop
from cameo_bench.evaluation.loop import LoopState, UnitAnswerer
from cameo_bench.evaluation.units import plan_units, unit_works
from cameo_bench.predictions import to_lines
from cameo_bench.prompts import get_prompt
from support.eval_collections import make_collection

T0, T7 = GenerationConfig(0.0), GenerationConfig(0.7)


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    return open_collection(make_collection(tmp_path_factory.mktemp("c")))


class _Hearing(Backend):
    """Answers with the first offered label; records each batch's clip lengths."""

    model_id, revision = "hearing", "1"

    def __init__(self):
        self.batches = []

    def generate(self, requests, config):
        self.batches.append([len(r.audio) for r in requests])
        return [r.labels[0] for r in requests]


def _work(collection, todo=None, size=12):
    clips = collection.clips()
    ids = {c.record.file_id for c in clips}
    (unit,) = plan_units(clips, todo or {T0: ids, T7: ids}, size)
    return clips, next(unit_works(collection, clips, [unit]))


def test_a_unit_answers_every_pass_longest_clips_first(collection):
    clips, work = _work(collection)
    backend = _Hearing()
    answerer = UnitAnswerer(backend, get_prompt())
    state = LoopState(batch_size=5)
    (result,) = answerer.answer(answerer.prepare(work), state)
    assert [len(b) for b in backend.batches] == [5, 5, 2, 5, 5, 2]
    lengths = [n for b in backend.batches[:3] for n in b]
    assert lengths == sorted(lengths, reverse=True) == sorted(
        (len(x) for _, x in collection.audio(clips)), reverse=True)
    assert sorted(result.rows) == [(p, i) for p in (0, 1) for i in range(12)]
    assert result.text.count("\n") == 24 and state.done == 24 and result.failed == 0
    assert result.audio_seconds == pytest.approx(2 * sum(lengths) / 16000)


def test_the_rows_are_those_of_the_clips_in_any_batching(collection):
    _, work = _work(collection)
    texts = set()
    for size in (1, 3, 12):
        answerer = UnitAnswerer(RandomBackend(), get_prompt())
        (result,) = answerer.answer(answerer.prepare(work), LoopState(batch_size=size))
        texts.add(tuple(sorted(result.text.splitlines())))
    assert len(texts) == 1


def test_a_slow_unit_hands_out_pieces_and_stops_after_the_batch(collection):
    _, work = _work(collection)
    answerer = UnitAnswerer(RandomBackend(), get_prompt())
    state = LoopState(batch_size=4)
    pieces = []
    for piece in answerer.answer(answerer.prepare(work), state, flush_every=0.0):
        pieces.append(piece)
        if len(pieces) == 2:
            state.stop.set()
    assert [len(p.rows) for p in pieces] == [4, 4]  # one piece per batch, then stopped
    assert state.done == 8 and not set(pieces[0].rows) & set(pieces[1].rows)


def test_a_backend_that_needs_no_audio_gets_none_decoded(collection, monkeypatch):
    def no_decoding(*args):
        raise AssertionError("decoded audio for a backend that needs none")

    monkeypatch.setattr(loop, "decode_clip", no_decoding)
    clips, work = _work(collection)
    answerer = UnitAnswerer(RandomBackend(), get_prompt())
    prepared = answerer.prepare(work)
    assert all(len(r.audio) == 0 and r.audio.dtype == np.float32
               for r in prepared.requests.values())
    (result,) = answerer.answer(prepared, LoopState(batch_size=4))
    lengths = {c.record.file_id: len(x) for c, x in collection.audio(clips)}
    assert result.audio_seconds == pytest.approx(2 * sum(lengths.values()) / 16000)
    expected = to_lines(loop.to_predictions(
        [prepared.requests[i] for _, i in result.rows[:12]],
        RandomBackend().generate([prepared.requests[i] for _, i in result.rows[:12]], T0),
        RandomBackend(), T0, get_prompt()))
    assert result.text.startswith(expected)
