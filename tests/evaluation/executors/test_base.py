"""The executors' interface and registry: batch size from the backend's preference, executor
options taken out of -O, a picklable backend loader, one-line errors."""

from __future__ import annotations

import json
import pickle

import pytest

from cameo_bench.backends.random import RandomBackend
from cameo_bench.errors import CameoError, UnknownNameError
from cameo_bench.evaluation import RunConfig, evaluate
from cameo_bench.evaluation import runner as runner_module
from cameo_bench.evaluation.executors import EXECUTORS, make_executor, split_options
from cameo_bench.evaluation.executors.base import BackendInfo, batch_size_for
from cameo_bench.evaluation.runner import backend_loader
from support.eval_collections import make_collection


class _Engine(RandomBackend):
    """A backend that schedules its own batches (as vLLM): it prefers 5 clips per call."""

    preferred_batch_size = 5
    calls: list[int] = []

    def generate(self, requests, config):
        _Engine.calls.append(len(requests))
        return super().generate(requests, config)


def _engine(model: str = "random", *, delay: float = 0.0) -> _Engine:
    return _Engine()


def test_the_batch_size_is_the_backends_preference_unless_asked():
    info = BackendInfo.of(_Engine())
    assert (batch_size_for(None, info), batch_size_for(2, info)) == (5, 2)
    assert batch_size_for(None, BackendInfo.of(RandomBackend())) == 8


def test_a_run_hands_an_engine_its_preferred_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(runner_module, "BACKENDS", {**runner_module.BACKENDS, "random": _engine})
    collection = make_collection(tmp_path / "c")  # 12 clips: one unit
    _Engine.calls.clear()
    evaluate(RunConfig("random", collection), tmp_path / "a")
    assert _Engine.calls == [5, 5, 2]
    session = json.loads((tmp_path / "a" / "run.json").read_text())["sessions"][-1]
    assert session["batch_size"] == 5
    _Engine.calls.clear()
    evaluate(RunConfig("random", collection, batch_size=4), tmp_path / "b")
    assert _Engine.calls == [4, 4, 4]


def test_executor_options_are_taken_out_of_the_backends():
    mine, theirs = split_options("ray", {"ray_address": "auto", "gpus_per_worker": 1,
                                         "delay": 0.1})
    assert (mine, theirs) == ({"ray_address": "auto", "gpus_per_worker": 1}, {"delay": 0.1})
    assert split_options("local", {"delay": 0.1}) == ({}, {"delay": 0.1})
    executor = make_executor("ray", 2, {"gpus_per_worker": "0.5"})
    assert (executor.workers, executor.gpus_per_worker) == (2, 0.5)


def test_a_bad_executor_or_option_is_one_line():
    with pytest.raises(UnknownNameError, match="Did you mean 'ray'"):
        EXECUTORS["rey"]
    with pytest.raises(CameoError, match="gpus_per_worker='x' is not a valid float"):
        make_executor("ray", None, {"gpus_per_worker": "x"})
    with pytest.raises(CameoError, match="cannot be negative"):
        make_executor("ray", None, {"cpus_per_worker": -1})


def test_a_backend_loader_travels_to_another_process():
    loader = pickle.loads(pickle.dumps(backend_loader("random", {"delay": "0"})))
    backend = loader()
    assert isinstance(backend, RandomBackend) and backend.delay == 0.0
