"""The vllm backend's request building, on the CPU without vllm installed."""

from __future__ import annotations

import numpy as np
import pytest

from cameo_bench.backends import BACKENDS, GenerationConfig, Request
from cameo_bench.backends.vllm import engine_inputs, sampling_kwargs
from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.records import ClipRecord

RECORD = ClipRecord("a.flac", "anger", None, None, None, None, "CaFE", "French", "MIT")
AUDIO = np.linspace(-0.5, 0.5, 1600, dtype=np.float32)
REQUEST = Request(RECORD, AUDIO, "Which emotion?", ("anger", "fear"))


def test_qwen2_audio_prompt_matches_its_chat_template():
    (item,) = engine_inputs("qwen2_audio", [REQUEST])
    assert item["prompt"] == (
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
        "<|im_start|>user\nAudio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\nWhich emotion?"
        "<|im_end|>\n<|im_start|>assistant\n"
    )
    ((audio, rate),) = item["multi_modal_data"]["audio"]
    assert rate == 16000 and audio is AUDIO


def test_ultravox_prompt_goes_through_the_tokenizers_chat_template():
    (item,) = engine_inputs("ultravox", [REQUEST], chat=lambda c: f"<user>{c}</user>")
    assert item["prompt"] == "<user><|audio|>\nWhich emotion?</user>"


def test_an_unsupported_model_type_is_refused():
    with pytest.raises(CameoError, match="'llama' is not supported"):
        engine_inputs("llama", [REQUEST])


def test_sampling_settings():
    assert sampling_kwargs(GenerationConfig(0.0, 5, 16)) == {"temperature": 0.0, "max_tokens": 16}
    assert sampling_kwargs(GenerationConfig(0.7, 5, 16)) == {
        "temperature": 0.7, "max_tokens": 16, "seed": 5}


def test_without_vllm_the_backend_says_which_extra_to_install():
    with pytest.raises(MissingDependencyError, match=r"cameo-bench\[vllm\]"):
        BACKENDS["vllm"]("Qwen/Qwen2-Audio-7B-Instruct")
