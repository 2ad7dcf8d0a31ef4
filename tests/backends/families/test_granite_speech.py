"""Granite-Speech 3.3 on a tiny random checkpoint (with its LoRA adapter) built from transformers
4.57's own config classes and loaded through ``hf:<folder>`` (torchaudio's mel transform is a
stand-in, see support.cpu_standins)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from cameo_bench.backends.base import Request
from cameo_bench.backends.families import granite_speech
from cameo_bench.backends.families.granite_speech import SYSTEM_PROMPT, GraniteSpeechFamily
from cameo_bench.errors import CameoError
from cameo_bench.evaluation import load_backend
from support.cpu_standins import without_vision_libraries  # noqa: F401 (fixture)
from support.family_runs import check_batched_equals_unbatched
from support.tiny_granite_speech import build_tiny_granite_speech


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory, without_vision_libraries) -> Path:  # noqa: F811
    return build_tiny_granite_speech(tmp_path_factory.mktemp("ckpt") / "tiny-granite-speech")


@pytest.mark.slow
def test_batched_and_unbatched_runs_write_the_same_predictions(checkpoint, collection, tmp_path):
    check_batched_equals_unbatched(checkpoint, collection, tmp_path)


def test_the_lora_adapter_is_loaded_with_the_model(checkpoint):
    family = load_backend(f"hf:{checkpoint}").family
    assert isinstance(family, GraniteSpeechFamily)
    assert family.model._hf_peft_config_loaded
    assert any("lora_A" in name for name, _ in family.model.named_parameters())


def test_the_prompt_is_the_cards_fixed_system_turn_then_audio_then_instruction(checkpoint):
    """The card's system turn with a fixed date, as vLLM's
    tests/models/multimodal/generation/test_granite_speech.py renders it: "Knowledge Cutoff
    Date: April 2024.\\nToday's Date: December 19, 2024.\\nYou are Granite, developed by IBM. You
    are a helpful AI assistant"; the user turn is "<|audio|>" + the instruction."""
    assert SYSTEM_PROMPT == ("Knowledge Cutoff Date: April 2024.\nToday's Date: December 19, "
                             "2024.\nYou are Granite, developed by IBM. You are a helpful AI "
                             "assistant")
    family = load_backend(f"hf:{checkpoint}").family
    audio = np.zeros(16000, np.float32)
    inputs = family.inputs([Request(None, audio, "Name the emotion.", ())])
    text = family.tokenizer.decode(inputs["input_ids"][0])
    n_audio = text.count("<|audio|>")
    assert n_audio > 1
    assert text == family.facts.prompt.format(audio="<|audio|>" * n_audio,
                                              instruction="Name the emotion.")


def test_without_peft_the_family_says_so(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "peft" else real(name, *a))
    with pytest.raises(CameoError, match="LoRA adapter, which needs peft: pip install peft"):
        granite_speech.GraniteSpeechFamily("ibm-granite/granite-speech-3.3-8b", {},
                                           device="cpu")
