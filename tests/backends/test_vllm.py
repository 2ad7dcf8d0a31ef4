"""The vllm backend on the CPU without vLLM: the requests it builds (chat messages, hand-built
prompts, sampling settings) and, through a fake of vLLM's Python surface (support.fake_vllm), the
engine calls it makes.

Hand-built prompts are pinned to vLLM's examples/offline_inference/audio_language.py (the
``run_<model>`` functions), with the example's question replaced by the benchmark's
instruction."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from cameo_bench.backends import BACKENDS, GenerationConfig
from cameo_bench.backends.decoding import Decoding
from cameo_bench.backends.vllm import (
    PREFERRED_BATCH_SIZE,
    RECIPES,
    chat_conversations,
    engine_inputs,
    sampling_kwargs,
)
from cameo_bench.errors import CameoError, MissingDependencyError, UnknownNameError
from cameo_bench.evaluation import load_backend
from support import fake_vllm
from support.clip_requests import clip_requests, noise
from support.tiny_qwen2_audio import build_tiny_qwen2_audio

(REQUEST,) = clip_requests([noise(0.1, 0)])
REQUEST = type(REQUEST)(REQUEST.record, REQUEST.audio, "Which emotion?", REQUEST.labels)

#: audio_language.py's hand-built prompts, question "Which emotion?".
EXAMPLE_PROMPTS = {
    "qwen2_audio": (  # run_qwen2_audio
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
        "<|im_start|>user\nAudio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\nWhich emotion?"
        "<|im_end|>\n<|im_start|>assistant\n"),
    "qwen2_5_omni": (  # run_qwen2_5_omni
        "<|im_start|>system\nYou are Qwen, a virtual human developed by the Qwen Team, Alibaba "
        "Group, capable of perceiving auditory and visual inputs, as well as generating text and "
        "speech.<|im_end|>\n<|im_start|>user\n<|audio_bos|><|AUDIO|><|audio_eos|>\n"
        "Which emotion?<|im_end|>\n<|im_start|>assistant\n"),
    "phi4mm": "<|user|><|audio_1|>Which emotion?<|end|><|assistant|>",  # run_phi4mm
    "granite_speech": (  # run_granite_speech
        "<|start_of_role|>system<|end_of_role|>Knowledge Cutoff Date: April 2024.\nToday's Date: "
        "December 19, 2024.\nYou are Granite, developed by IBM. You are a helpful AI assistant"
        "<|end_of_text|>\n<|start_of_role|>user<|end_of_role|><|audio|>Which emotion?"
        "<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>"),
    "midashenglm": (  # run_midashenglm
        "<|im_start|>system\nYou are a helpful language and speech assistant.<|im_end|>\n"
        "<|im_start|>user\n<|audio_bos|><|AUDIO|><|audio_eos|>Which emotion?<|im_end|>\n"
        "<|im_start|>assistant\n"),
    "audioflamingo3": (  # run_audioflamingo3
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
        "<sound>Which emotion?<|im_end|>\n<|im_start|>assistant\n"),
}


@pytest.mark.parametrize("model_type", sorted(EXAMPLE_PROMPTS))
def test_hand_built_prompts_are_vllms_examples(model_type):
    """vLLM's examples/offline_inference/audio_language.py builds these prompts by hand (the
    chat template would render another, or none: Qwen2-Audio's Hub template does not render
    vLLM's audio part, vLLM issues 19977 and 16583)."""
    (item,) = engine_inputs(RECIPES[model_type], [REQUEST])
    assert item["prompt"] == EXAMPLE_PROMPTS[model_type]
    ((audio, rate),) = item["multi_modal_data"]["audio"]
    assert rate == 16000 and audio is REQUEST.audio


def test_the_speech_loras_follow_the_examples():
    """run_phi4mm: ``speech-lora/`` inside the checkpoint, max_lora_rank 320; run_granite_speech:
    the checkpoint itself, max_lora_rank 64."""
    assert RECIPES["phi4mm"].lora == "speech-lora"
    assert RECIPES["phi4mm"].engine == {"enable_lora": True, "max_lora_rank": 320}
    assert RECIPES["granite_speech"].lora == ""
    assert RECIPES["granite_speech"].engine == {"enable_lora": True, "max_lora_rank": 64}


def test_the_chat_message_carries_the_audio_losslessly_then_the_instruction():
    ((message,),) = chat_conversations([REQUEST])
    audio, text = message["content"]
    assert message["role"] == "user" and text == {"type": "text", "text": "Which emotion?"}
    assert audio["type"] == "input_audio" and audio["input_audio"]["format"] == "wav"
    samples, rate = sf.read(io.BytesIO(base64.b64decode(audio["input_audio"]["data"])),
                            dtype="float32")
    assert rate == 16000 and np.array_equal(samples, REQUEST.audio)


def _seed(seed: int, file_id: str, temperature: float) -> int:
    digest = hashlib.sha256(f"{seed}:{file_id}:{temperature!r}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def test_sampling_settings_per_clip():
    """Greedy: no seed, the repetition penalty kept (vLLM applies it to greedy decoding too);
    sampled: the decoding's extras (top_k -1 is vLLM's "off") and each clip's own seed."""
    requests = clip_requests([noise(0.1, 0)] * 2, ["a", "b"])
    decoding = Decoding("checkpoint", top_p=0.5, repetition_penalty=1.1)
    assert sampling_kwargs(decoding, GenerationConfig(0.0, 5, 16), requests) == [
        {"temperature": 0.0, "max_tokens": 16, "repetition_penalty": 1.1}] * 2
    sampled = sampling_kwargs(decoding, GenerationConfig(0.3, 5, 16), requests)
    assert sampled == [{"temperature": 0.3, "max_tokens": 16, "repetition_penalty": 1.1,
                        "top_k": -1, "top_p": 0.5, "min_p": 0.0, "seed": _seed(5, fid, 0.3)}
                       for fid in ("a", "b")]


def test_without_vllm_the_backend_says_which_extra_to_install():
    with pytest.raises(MissingDependencyError, match=r"cameo-bench\[vllm\]"):
        BACKENDS["vllm"]("Qwen/Qwen2-Audio-7B-Instruct")


def _checkpoint(folder: Path, model_type: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(
        {"model_type": model_type, "architectures": [f"{model_type}-arch"]}))
    return folder


#: Model types of the audio models the model registry names for vLLM (issue 13).
AUDIO_MODEL_TYPES = ("qwen2_audio", "ultravox", "qwen2_5_omni", "qwen3_omni_moe", "voxtral",
                     "phi4mm", "phi4_multimodal", "granite_speech", "kimi_audio", "gemma3n",
                     "audioflamingo3", "midashenglm")


@pytest.mark.parametrize("model_type", AUDIO_MODEL_TYPES)
def test_every_audio_model_gets_its_clips_audio_once(model_type, tmp_path, monkeypatch):
    fake_vllm.install(monkeypatch)
    folder = _checkpoint(tmp_path / model_type, model_type)
    backend = load_backend(f"vllm:{folder}")
    requests = clip_requests([noise(0.1, i) for i in range(3)])
    assert backend.generate(requests, GenerationConfig()) == ["answer 0", "answer 1", "answer 2"]
    ((kind, prompts, params, lora),) = backend.llm.calls
    if model_type in EXAMPLE_PROMPTS or model_type == "phi4_multimodal":
        assert kind == "generate"
        assert [p["multi_modal_data"]["audio"][0][0] for p in prompts] == [
            r.audio for r in requests]
    else:
        assert kind == "chat"
        assert [[part["type"] for part in c[0]["content"]] for c in prompts] == [
            ["input_audio", "text"]] * 3
    assert lora is None or lora.lora_path == str(folder / RECIPES[model_type].lora)
    assert backend.llm.kwargs["limit_mm_per_prompt"] == {"audio": 1}
    assert backend.preferred_batch_size == PREFERRED_BATCH_SIZE >= 256


def test_the_engine_gets_the_recipes_arguments(tmp_path, monkeypatch):
    fake_vllm.install(monkeypatch)
    voxtral = load_backend(f"vllm:{_checkpoint(tmp_path / 'v', 'voxtral')}")
    assert voxtral.llm.kwargs["tokenizer_mode"] == "mistral"
    dummy = load_backend(f"vllm:{_checkpoint(tmp_path / 'g', 'gemma3n')}",
                         {"load_format": "dummy", "max_model_len": "2048"})
    assert dummy.llm.kwargs["load_format"] == "dummy" and dummy.llm.kwargs["max_model_len"] == 2048


def test_a_model_vllm_cannot_hear_with_is_one_line(tmp_path, monkeypatch):
    fake_vllm.install(monkeypatch)
    folder = _checkpoint(tmp_path / "ichigo", "llama")
    with pytest.raises(CameoError, match=r"vLLM cannot run .*ichigo \(llama-arch\) with audio: "
                                         r"Value error, `limit_mm_per_prompt` is only supported"):
        load_backend(f"vllm:{folder}")


def test_an_unknown_decoding_mode_is_refused(tmp_path, monkeypatch):
    fake_vllm.install(monkeypatch)
    with pytest.raises(UnknownNameError, match="Unknown decoding 'beam'"):
        load_backend(f"vllm:{_checkpoint(tmp_path / 'u', 'ultravox')}", {"decoding": "beam"})


@pytest.fixture(scope="module")
def sampling_checkpoint(tmp_path_factory) -> Path:
    """The tiny Qwen2-Audio with Qwen2-Audio-7B-Instruct's sampling defaults (its Hub
    generation_config.json, as vLLM logs them in vLLM issue 16535: repetition_penalty 1.1,
    temperature 0.7, top_k 20, top_p 0.5) and no min_p."""
    folder = build_tiny_qwen2_audio(tmp_path_factory.mktemp("ckpt") / "tiny")
    path = folder / "generation_config.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "do_sample": True,
                                "repetition_penalty": 1.1, "temperature": 0.7, "top_k": 20,
                                "top_p": 0.5}))
    return folder


@pytest.mark.parametrize("decoding", ["checkpoint", "plain"])
def test_hf_and_vllm_decode_with_the_same_settings(sampling_checkpoint, decoding, tmp_path,
                                                   monkeypatch):
    """Issue 9, defect 4: for one generation_config.json, the hf backend (transformers'
    GenerationConfig) and the vllm backend (LLM.get_default_sampling_params) settle on the same
    effective settings, the file's values in checkpoint mode and none in plain mode."""
    hf = load_backend(f"hf:{sampling_checkpoint}", {"decoding": decoding})
    fake_vllm.install(monkeypatch)
    vllm = load_backend(f"vllm:{sampling_checkpoint}", {"decoding": decoding})
    assert vllm.effective_settings == hf.effective_settings
    expected = ((20, 0.5, 0.0, 1.1) if decoding == "checkpoint" else (None, 1.0, 0.0, 1.0))
    s = vllm.effective_settings
    assert (s["top_k"], s["top_p"], s["min_p"], s["repetition_penalty"]) == expected
    assert vllm.model_id == hf.model_id and vllm.revision == hf.revision

    bare = shutil.copytree(sampling_checkpoint, tmp_path / "bare")
    (bare / "generation_config.json").unlink()
    assert (load_backend(f"vllm:{bare}").effective_settings["top_k"]
            == load_backend(f"hf:{bare}").effective_settings["top_k"] is None)
