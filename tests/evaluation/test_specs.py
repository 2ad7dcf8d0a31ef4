"""Model specs: aliases, backend prefixes, revisions, folders, and did-you-mean errors."""

from __future__ import annotations

import pytest

from cameo_bench.errors import UnknownNameError
from cameo_bench.evaluation.specs import ModelSpec, parse_model_spec


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("qwen2-audio", ModelSpec("hf", "Qwen/Qwen2-Audio-7B-Instruct")),
        ("seallms-audio", ModelSpec("hf", "SeaLLMs/SeaLLMs-Audio-7B")),
        ("ultravox", ModelSpec("hf", "fixie-ai/ultravox-v0_5-llama-3_1-8b")),
        ("ichigo", ModelSpec("hf", "homebrewltd/Ichigo-llama3.1-s-instruct-v0.4")),
        ("hf:Qwen/Qwen2-Audio-7B-Instruct", ModelSpec("hf", "Qwen/Qwen2-Audio-7B-Instruct")),
        ("hf:Qwen/Qwen2-Audio-7B-Instruct@abc123",
         ModelSpec("hf", "Qwen/Qwen2-Audio-7B-Instruct", "abc123")),
        ("Qwen/Qwen2-Audio-7B-Instruct@main",
         ModelSpec("hf", "Qwen/Qwen2-Audio-7B-Instruct", "main")),
        ("vllm:ultravox", ModelSpec("vllm", "fixie-ai/ultravox-v0_5-llama-3_1-8b")),
        ("openai:gpt-4o-audio-preview", ModelSpec("openai", "gpt-4o-audio-preview")),
        ("random", ModelSpec("random", "random")),
        ("majority", ModelSpec("majority", "majority")),
    ],
)
def test_specs_resolve_to_backend_model_and_revision(spec, expected):
    assert parse_model_spec(spec) == expected


def test_a_local_folder_is_an_hf_checkpoint(tmp_path):
    assert parse_model_spec(str(tmp_path)) == ModelSpec("hf", str(tmp_path))


def test_an_unknown_name_suggests_the_closest():
    with pytest.raises(UnknownNameError, match="Did you mean 'qwen2-audio'"):
        parse_model_spec("qwen2-audoi")


def test_a_backend_prefix_without_a_model_is_an_error():
    with pytest.raises(Exception, match="names no model"):
        parse_model_spec("hf:")


def test_an_unknown_name_lists_standalone_and_model_taking_backends():
    with pytest.raises(UnknownNameError) as caught:
        parse_model_spec("no-such-model")
    known = str(caught.value)
    for name in ("random", "majority", "egemaps-logreg", "hf:<model>", "vllm:<model>",
                 "openai:<model>"):
        assert name in known
    assert "hf," not in known and "random:<model>" not in known


def test_a_bare_alias_runs_on_a_backend_that_can_run_the_model():
    """Before: every alias went to hf, so `kimi-audio` (no transformers class; only vLLM runs
    it, backends/models.py) could never run under its own name."""
    assert parse_model_spec("kimi-audio") == ModelSpec("vllm", "moonshotai/Kimi-Audio-7B-Instruct")
    assert parse_model_spec("qwen3-omni").backend == "vllm"
    assert parse_model_spec("vllm:kimi-audio") == parse_model_spec("kimi-audio")


def test_every_alias_runs_on_a_backend_the_registry_lists_for_it():
    from cameo_bench.backends.models import MODELS

    for entry in MODELS:
        spec = parse_model_spec(entry.alias)
        assert spec.backend in entry.backends and spec.model == entry.hub_id
        assert spec.backend == ("hf" if "hf" in entry.backends else "vllm"), entry.alias
