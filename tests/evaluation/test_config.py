"""RunConfig: the one place a run's defaults are stated; normalized and checked when built."""

from __future__ import annotations

import pytest

from cameo_bench.backends import GenerationConfig
from cameo_bench.errors import CameoError
from cameo_bench.evaluation.config import RunConfig
from cameo_bench.evaluation.run_folder import Shard


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
    ({"batch_size": 0}, "batch size must be a whole number of at least 1, got 0"),
    ({"batch_size": 2.5}, "batch size must be a whole number of at least 1, got 2.5"),
    ({"limit": 0}, "limit must be a whole number of at least 1, got 0"),
    ({"limit": -5}, "limit must be a whole number of at least 1, got -5"),
    ({"max_new_tokens": 0}, "max new tokens must be a whole number of at least 1, got 0"),
    ({"seed": -1}, "seed must be a whole number of at least 0, got -1"),
    ({"controls": 1}, "controls must be a whole number of at least 2, got 1"),
    ({"controls": 10, "shard": Shard(0, 2)}, "--controls needs the whole run"),
    ({"temperatures": ()}, "give at least one temperature"),
    ({"temperatures": (0.0, -0.1)}, r"temperature must be a finite number >= 0, got -0.1"),
    ({"temperatures": (float("nan"),)}, "temperature must be a finite number >= 0, got nan"),
    ({"temperatures": (0.0, float("inf"))}, "temperature must be a finite number >= 0, got inf"),
    ({"temperatures": ("warm",)}, "temperature 'warm' is not a number"),
    ({"workers": 0}, "--workers must be a whole number of at least 1, got 0"),
    ({"controls": 10, "executor": "ray"}, "--controls runs the model in this process"),
])
def test_a_config_that_cannot_run_is_refused_when_built(change, message):
    """Issue 11: --limit -5 was a ValueError traceback, --limit 0 "no predictions files to
    merge", -t nan a run whose rows carry NaN (invalid JSON, one run split in two)."""
    with pytest.raises(CameoError, match=message):
        RunConfig(**{"model": "random", "data": "data", **change})


@pytest.mark.parametrize("temperature", [float("nan"), float("inf"), -1.0])
def test_no_backend_is_ever_asked_to_decode_at_a_temperature_that_is_not_a_number(temperature):
    """Every temperature a backend sees passes GenerationConfig: NaN cannot enter there."""
    with pytest.raises(CameoError, match="temperature must be a finite number >= 0"):
        GenerationConfig(temperature=temperature)


def test_each_pass_decodes_with_the_runs_seed_and_cap():
    config = RunConfig("random", "data", seed=3, max_new_tokens=5, temperatures=(0.0, 0.7))
    assert config.generation(0.7) == GenerationConfig(temperature=0.7, seed=3, max_new_tokens=5)
