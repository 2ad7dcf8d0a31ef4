"""Qwen2.5-Omni's thinker on a tiny random checkpoint built from transformers 4.57's own config
classes and loaded through ``hf:<folder>`` (the processor's video part is a stand-in, see
support.cpu_standins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cameo_bench.backends.families.qwen2_5_omni import SYSTEM_PROMPT, Qwen25OmniFamily
from cameo_bench.evaluation import load_backend
from support.cpu_standins import without_vision_libraries  # noqa: F401 (fixture)
from support.family_runs import check_batched_equals_unbatched
from support.tiny_qwen2_5_omni import build_tiny_qwen2_5_omni


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory, without_vision_libraries) -> Path:  # noqa: F811
    return build_tiny_qwen2_5_omni(tmp_path_factory.mktemp("ckpt") / "tiny-qwen2.5-omni")


def test_batched_and_unbatched_runs_write_the_same_predictions(checkpoint, collection, tmp_path):
    check_batched_equals_unbatched(checkpoint, collection, tmp_path)


def test_only_the_thinker_is_loaded(checkpoint):
    family = load_backend(f"hf:{checkpoint}").family
    assert isinstance(family, Qwen25OmniFamily)
    assert type(family.model).__name__ == "Qwen2_5OmniThinkerForConditionalGeneration"
    assert not any("talker" in name or "token2wav" in name
                   for name, _ in family.model.named_parameters())


def test_the_prompt_has_the_cards_system_turn_then_audio_then_instruction(checkpoint):
    """transformers docs model_doc/qwen2_5_omni.md, every example's system turn: "You are Qwen, a
    virtual human developed by the Qwen Team, Alibaba Group, capable of perceiving auditory and
    visual inputs, as well as generating text and speech."."""
    assert SYSTEM_PROMPT == (
        "You are Qwen, a virtual human developed by the Qwen Team, Alibaba Group, capable of "
        "perceiving auditory and visual inputs, as well as generating text and speech.")
    family = load_backend(f"hf:{checkpoint}").family
    text = family.tokenizer.decode(family.inputs([_request("Name the emotion.")])["input_ids"][0])
    audio = text[text.index("<|audio_bos|>"):text.index("<|audio_eos|>")]
    assert text.replace(audio, "<|audio_bos|>") == family.facts.prompt.format(
        audio="", instruction="Name the emotion.")
    assert set(audio.split("<|audio_bos|>")[1].split("<|AUDIO|>")) == {""}


def _request(prompt: str):
    import numpy as np

    from cameo_bench.backends.base import Request

    return Request(record=None, audio=np.zeros(8000, np.float32), prompt=prompt, labels=())
