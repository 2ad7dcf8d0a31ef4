"""Phi-4-multimodal on a tiny random checkpoint (with its speech LoRA) built from transformers
4.57's own config classes and loaded through ``hf:<folder>`` (the processor's image part is a
stand-in, see support.cpu_standins)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cameo_bench.backends.base import Request
from cameo_bench.backends.families.phi4_multimodal import SPEECH_ADAPTER, Phi4MultimodalFamily
from cameo_bench.evaluation import load_backend
from support.cpu_standins import without_vision_libraries  # noqa: F401 (fixture)
from support.family_runs import check_batched_equals_unbatched
from support.tiny_phi4_multimodal import build_tiny_phi4_multimodal


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory, without_vision_libraries) -> Path:  # noqa: F811
    return build_tiny_phi4_multimodal(tmp_path_factory.mktemp("ckpt") / "tiny-phi4-multimodal")


def test_batched_and_unbatched_runs_write_the_same_predictions(checkpoint, collection, tmp_path):
    check_batched_equals_unbatched(checkpoint, collection, tmp_path)


def test_the_speech_adapter_is_loaded_and_active(checkpoint):
    """transformers docs model_doc/phi4_multimodal.md, audio example: model.load_adapter(path,
    adapter_name="speech", adapter_kwargs={"subfolder": 'speech-lora'}); set_adapter("speech")."""
    assert SPEECH_ADAPTER == "speech-lora"
    family = load_backend(f"hf:{checkpoint}").family
    assert isinstance(family, Phi4MultimodalFamily)
    assert family.model.active_adapters() == ["speech"]


def test_the_prompt_is_user_audio_instruction_end_assistant(checkpoint):
    """The same docs example's conversation (audio part, then text part, in one user turn)
    rendered by the chat template: "<|user|><|audio|>...<|end|><|assistant|>"."""
    family = load_backend(f"hf:{checkpoint}").family
    inputs = family.inputs([Request(None, np.zeros(16000, np.float32), "Name the emotion.", ())])
    text = family.tokenizer.decode(inputs["input_ids"][0])
    n_audio = text.count("<|audio|>")
    assert n_audio > 1
    assert text == family.facts.prompt.format(audio="<|audio|>" * n_audio,
                                              instruction="Name the emotion.")
