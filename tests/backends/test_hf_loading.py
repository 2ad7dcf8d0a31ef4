"""The hf backend's loading errors: each says what is wrong and what to do."""

from __future__ import annotations

import json

import pytest

from cameo_bench.errors import CameoError, UnknownNameError
from cameo_bench.evaluation import load_backend


def test_a_checkpoint_of_no_known_audio_family_is_named(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(UnknownNameError, match="'bert', expected one of: audioflamingo3, gemma3n, "
                                               "granite_speech, kimi_audio, llama, midashenglm, "
                                               "phi4_multimodal, qwen2_5_omni, qwen2_audio, "
                                               "ultravox, voxtral"):
        load_backend(f"hf:{tmp_path}")


def test_a_model_that_is_not_downloaded_fails_with_a_hint(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(CameoError, match="cannot read the config of model 'nobody/no-model'.*"
                                         "download it first"):
        load_backend("hf:nobody/no-model")


def test_an_unknown_dtype_is_refused(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "qwen2_audio"}))
    with pytest.raises(CameoError, match="dtype 'fp8' is not one of auto, bfloat16"):
        load_backend(f"hf:{tmp_path}", {"dtype": "fp8"})


@pytest.mark.parametrize(("model_type", "says"), [
    ("audioflamingo3", r"needs transformers >= 5.*pip install 'transformers>=5'"),
    ("kimi_audio", "no transformers implementation.*vllm:kimi-audio"),
    ("midashenglm", "only Hub remote code.*vllm:midashenglm"),
])
def test_a_checkpoint_4_57_cannot_run_says_how_to_run_it(tmp_path, model_type, says):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": model_type}))
    with pytest.raises(CameoError, match=says):
        load_backend(f"hf:{tmp_path}")
