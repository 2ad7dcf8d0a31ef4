"""The local executor: the next unit decoded in threads while the model answers, at most two
units alive, errors raised at their unit, one worker only."""

from __future__ import annotations

import threading
import time

import pytest

from cameo_bench.errors import CameoError
from cameo_bench.evaluation.executors import local
from cameo_bench.evaluation.executors.local import ahead


def test_ahead_keeps_order_and_at_most_two_results_alive():
    alive, most = [0], [0]
    lock = threading.Lock()

    def work(x):
        with lock:
            alive[0] += 1
            most[0] = max(most[0], alive[0])
        return x * 10

    out = []
    for value in ahead(range(20), work):
        time.sleep(0.002)  # the caller is slower than the producer
        out.append(value)
        with lock:
            alive[0] -= 1
    assert out == [x * 10 for x in range(20)]
    assert most[0] == 2


def test_ahead_raises_at_the_failing_item_and_stops_when_closed():
    def work(x):
        if x == 3:
            raise ValueError("bad item 3")
        return x

    got = []
    with pytest.raises(ValueError, match="bad item 3"):
        for value in ahead(range(10), work):
            got.append(value)
    assert got == [0, 1, 2]
    before = threading.active_count()
    gen = ahead(iter(range(1000)), lambda x: x)
    next(gen)
    gen.close()
    assert threading.active_count() <= before


def test_the_local_executor_has_one_worker():
    assert local.create().facts() == {"name": "local", "workers": 1}
    assert local.create(1).facts()["workers"] == 1
    with pytest.raises(CameoError, match="--workers needs --executor ray"):
        local.create(2)


def test_decoding_in_slices_keeps_the_order():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        map_ = local._in_slices(pool)
        for n in (0, 1, 5, 256):
            assert map_(lambda x: x * x, range(n)) == [x * x for x in range(n)]
