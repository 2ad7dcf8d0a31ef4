"""The contract of every registered backend, found in ``BACKENDS`` (a new backend fails here
until it has a recipe): created from its model spec and options it answers two requests with
one string each and closes, twice safely; without its extra, creating it is one line naming the
extra to install. Its factory declares its options and whether it needs a model."""

from __future__ import annotations

import importlib.util
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cameo_bench.backends import BACKENDS, Backend, GenerationConfig, Request
from cameo_bench.backends.factory import accepted_options, default_model
from cameo_bench.collection import open_collection
from cameo_bench.errors import MissingDependencyError
from cameo_bench.evaluation import load_backend
from cameo_bench.evaluation.loop import requests_by_duration
from cameo_bench.prompts import get_prompt
from support.eval_collections import make_collection
from support.tiny_qwen2_audio import build_tiny_qwen2_audio

Fixture = Callable[[str], Any]  # request.getfixturevalue


@dataclass(frozen=True)
class Recipe:
    """How to create a backend here: ``make`` gives (model spec, options); ``needs`` are the
    modules its extra installs."""

    make: Callable[[Fixture], tuple[str, dict[str, Any]]]
    needs: tuple[str, ...] = ()


RECIPES: dict[str, Recipe] = {
    "random": Recipe(lambda f: ("random", {})),
    "hf": Recipe(lambda f: (f"hf:{f('checkpoint')}", {"dtype": "float32", "device": "cpu"}),
                 needs=("torch", "transformers")),
    "vllm": Recipe(lambda f: (f"vllm:{f('checkpoint')}", {}), needs=("vllm",)),
    "openai": Recipe(lambda f: ("openai:audio-model", {"base_url": f("server").url,
                                                       "backoff": 0.0}), needs=("openai",)),
    "majority": Recipe(lambda f: ("majority", {"folds": 2}), needs=("sklearn",)),
    "egemaps-logreg": Recipe(
        lambda f: ("egemaps-logreg", {"folds": 2, "workers": 1, "progress": False,
                                      "cache_dir": str(f("tmp_path"))}),
        needs=("opensmile", "sklearn")),
}


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    return build_tiny_qwen2_audio(tmp_path_factory.mktemp("ckpt") / "tiny-qwen2-audio")


@pytest.fixture(scope="module")
def two_requests(tmp_path_factory) -> list[Request]:
    """Two clips of one corpus by two speakers (so a baseline can fold them)."""
    collection = open_collection(make_collection(tmp_path_factory.mktemp("coll"), {"cafe": 2}))
    (requests,) = requests_by_duration(collection, collection.clips(), get_prompt(), 2)
    return requests


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_create_generate_close_or_name_the_missing_extra(name, request, two_requests):
    assert name in RECIPES, f"backend {name!r} has no recipe in this contract test"
    recipe = RECIPES[name]
    spec, options = recipe.make(request.getfixturevalue)
    missing = [m for m in recipe.needs if importlib.util.find_spec(m) is None]
    if missing:
        with pytest.raises(MissingDependencyError, match=r"pip install 'cameo-bench\[\w+\]'") \
                as caught:
            load_backend(spec, options)
        assert "\n" not in str(caught.value)
        return
    backend = load_backend(spec, options)
    try:
        assert isinstance(backend, Backend)
        assert isinstance(backend.model_id, str) and backend.model_id
        assert backend.revision is None or isinstance(backend.revision, str)
        answers = backend.generate(two_requests, GenerationConfig(max_new_tokens=4))
        assert len(answers) == 2 and all(isinstance(a, str) for a in answers)
        assert all(isinstance(n, str) and "\n" not in n for n in backend.notes)
        settings = dict(backend.effective_settings)  # JSON-ready, for run.json and the key
        assert json.loads(json.dumps(settings, allow_nan=False)) == settings
    finally:
        backend.close()
    backend.close()


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_the_factory_declares_its_options_and_model(name):
    factory = BACKENDS[name]
    signature = inspect.signature(factory, eval_str=True)
    assert next(iter(signature.parameters)) == "model"
    options = accepted_options(factory)
    assert set(signature.parameters) == {"model", *options}  # every option by keyword only
    assert default_model(factory) in (None, name)  # a standalone backend runs itself
    backend_class = signature.return_annotation
    assert issubclass(backend_class, Backend)
    assert backend_class.runtime_options <= set(options)
