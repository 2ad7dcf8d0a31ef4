"""The random reference model: uniform over the offered labels, seeded per clip."""

from __future__ import annotations

import numpy as np

from cameo_bench.backends import BACKENDS, GenerationConfig, Request
from cameo_bench.records import ClipRecord


def _request(i: int, labels: tuple[str, ...]) -> Request:
    record = ClipRecord(f"{i:064x}.flac", labels[0], None, None, None, None, "CaFE", "French",
                        "CC BY-NC-SA 4.0")
    return Request(record, np.zeros(160, np.float32), "prompt", labels)


def test_answers_do_not_depend_on_batching_or_order():
    backend = BACKENDS["random"]("random")
    labels = ("anger", "fear", "neutral")
    requests = [_request(i, labels) for i in range(40)]
    config = GenerationConfig(seed=3)
    whole = backend.generate(requests, config)
    one_by_one = [backend.generate([r], config)[0] for r in requests]
    reversed_ = backend.generate(requests[::-1], config)[::-1]
    assert whole == one_by_one == reversed_
    assert set(whole) == set(labels)  # 40 draws over 3 labels: all three appear


def test_the_seed_changes_the_answers():
    backend = BACKENDS["random"]("random")
    requests = [_request(i, ("anger", "fear", "neutral", "sadness")) for i in range(40)]
    a = backend.generate(requests, GenerationConfig(seed=0))
    b = backend.generate(requests, GenerationConfig(seed=1))
    assert a != b
