"""RunConfig: the one place a run's defaults are stated; normalized and checked when built."""

from __future__ import annotations

import pytest

from cameo_bench.backends import GenerationConfig
from cameo_bench.errors import CameoError
from cameo_bench.evaluation.config import RunConfig


def test_defaults_are_the_papers_settings():
    config = RunConfig("random", "data")
    assert (config.temperatures, config.prompt_id, config.seed,
            config.max_new_tokens) == ((0.0,), "cameo-v1", 0, 16)
    assert (config.corpus, config.limit, config.options, config.shard,
            config.retry_failed) == ((), None, {}, None, False)
    # batch size: the backend's preferred one (8 when it states none); one local worker
    assert (config.batch_size, config.executor, config.workers) == (None, "local", None)
    assert GenerationConfig().max_new_tokens == config.max_new_tokens


def test_values_are_normalized():
    config = RunConfig("random", "data", corpus=["nemo", "cafe"], temperatures=[0.7, 0, 0.7],
                       options=None)
    assert config.temperatures == (0.0, 0.7) and config.corpus == ("nemo", "cafe")
    assert config.options == {}


@pytest.mark.parametrize(("change", "message"), [
    ({"model": None}, "give a model"),
    ({"data": None}, "a collection"),
    ({"batch_size": 0}, "batch size must be at least 1, got 0"),
    ({"workers": 0}, "--workers must be at least 1, got 0"),
    ({"temperatures": ()}, r"temperatures must be >= 0, got \[\]"),
    ({"temperatures": (0.0, -0.1)}, r"temperatures must be >= 0, got \[0.0, -0.1\]"),
])
def test_a_config_that_cannot_run_is_refused_when_built(change, message):
    with pytest.raises(CameoError, match=message):
        RunConfig(**{"model": "random", "data": "data", **change})


def test_each_pass_decodes_with_the_runs_seed_and_cap():
    config = RunConfig("random", "data", seed=3, max_new_tokens=5, temperatures=(0.0, 0.7))
    assert config.generation(0.7) == GenerationConfig(temperature=0.7, seed=3, max_new_tokens=5)
