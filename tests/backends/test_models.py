"""The model registry: aliases, Hub ids, which backends run each model, the leaderboard series."""

from __future__ import annotations

import importlib

from cameo_bench.backends import BACKENDS
from cameo_bench.backends.hf import FAMILIES
from cameo_bench.backends.models import ALIASES, MODELS, series_of
from cameo_bench.evaluation.specs import ModelSpec, parse_model_spec


def test_the_papers_four_keep_their_hub_ids():
    """The CAMEO paper's systems (its Table 2 model ids)."""
    assert {m.alias: m.hub_id for m in MODELS if m.paper} == {
        "qwen2-audio": "Qwen/Qwen2-Audio-7B-Instruct",
        "seallms-audio": "SeaLLMs/SeaLLMs-Audio-7B",
        "ultravox": "fixie-ai/ultravox-v0_5-llama-3_1-8b",
        "ichigo": "homebrewltd/Ichigo-llama3.1-s-instruct-v0.4",
    }


def test_the_issue_13_models_are_named():
    assert {"qwen2.5-omni", "qwen3-omni", "voxtral-mini", "voxtral-small", "phi-4-multimodal",
            "granite-speech", "kimi-audio", "gemma-3n", "audio-flamingo-3",
            "midashenglm"} <= set(ALIASES)
    assert len(ALIASES) == len(MODELS)  # aliases are unique


def test_every_backend_named_exists_and_hf_models_have_a_family_class():
    for m in MODELS:
        assert m.backends and set(m.backends) <= set(BACKENDS), m.alias
        if "hf" in m.backends:
            module, attr = FAMILIES.path(m.model_type).split(":")
            assert hasattr(importlib.import_module(module), attr), m.alias
        elif m.model_type is not None:  # recognised, and refused in one line
            assert FAMILIES.path(m.model_type).startswith(
                "cameo_bench.backends.families.unsupported:")


def test_an_alias_resolves_after_any_backend():
    assert parse_model_spec("voxtral-mini") == ModelSpec("hf", "mistralai/Voxtral-Mini-3B-2507")
    assert parse_model_spec("vllm:kimi-audio") == ModelSpec(
        "vllm", "moonshotai/Kimi-Audio-7B-Instruct")


def test_the_series_groups_sizes_and_knows_folders_named_like_the_hub_id():
    assert series_of("mistralai/Voxtral-Small-24B-2507") == series_of("voxtral-mini") == "Voxtral"
    assert series_of("Qwen2.5-Omni-7B") == "Qwen-Omni"
    assert series_of("someone/unknown-model") is None
