"""Gemma 3n on a tiny random checkpoint built from transformers 4.57's own config classes and
loaded through ``hf:<folder>`` (the vision tower is a stand-in, see support.cpu_standins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cameo_bench.backends.families.gemma3n import SYSTEM_PROMPT, Gemma3nFamily
from cameo_bench.evaluation import load_backend
from support.cpu_standins import without_vision_libraries  # noqa: F401 (fixture)
from support.family_runs import check_batched_equals_unbatched
from support.tiny_gemma3n import build_tiny_gemma3n


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory, without_vision_libraries) -> Path:  # noqa: F811
    return build_tiny_gemma3n(tmp_path_factory.mktemp("ckpt") / "tiny-gemma3n")


@pytest.mark.slow
def test_batched_and_unbatched_runs_write_the_same_predictions(checkpoint, collection, tmp_path):
    check_batched_equals_unbatched(checkpoint, collection, tmp_path)


def test_the_family_loads_the_conditional_generation_model(checkpoint):
    family = load_backend(f"hf:{checkpoint}").family
    assert isinstance(family, Gemma3nFamily)
    assert type(family.model).__name__ == "Gemma3nForConditionalGeneration"


def test_the_system_turn_is_the_model_cards():
    """google/gemma-3n-E4B-it model card: every example starts with the system turn
    {"role": "system", "content": [{"type": "text", "text": "You are a helpful assistant."}]}."""
    assert SYSTEM_PROMPT == "You are a helpful assistant."


def test_the_prompt_is_system_then_audio_then_instruction(checkpoint):
    """The card's conversation (system turn, then an audio part and a text part in the user
    turn) as the processor expands it: 188 audio soft tokens between <start_of_audio> and
    <end_of_audio>, blank lines around them."""
    import numpy as np

    from cameo_bench.backends.base import Request

    family = load_backend(f"hf:{checkpoint}").family
    inputs = family.inputs([Request(None, np.zeros(16000, np.float32), "Name the emotion.", ())])
    text = family.tokenizer.decode(inputs["input_ids"][0])
    audio = "\n\n<start_of_audio>" + "<audio_soft_token>" * 188 + "<end_of_audio>\n\n"
    assert text == family.facts.prompt.format(audio=audio, instruction="Name the emotion.")
