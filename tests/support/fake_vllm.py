"""The part of vLLM's Python surface the vllm backend touches, for tests on machines without
vLLM (its wheels need CUDA). Install with :func:`install`; each fake records its calls."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any


class SamplingParams:
    """``vllm.SamplingParams`` with vLLM's defaults (vllm/sampling_params.py: temperature 1.0,
    top_p 1.0, top_k 0 = off, min_p 0.0, repetition_penalty 1.0, max_tokens 16, seed None)."""

    def __init__(self, temperature: float = 1.0, top_p: float = 1.0, top_k: int = 0,
                 min_p: float = 0.0, repetition_penalty: float = 1.0, max_tokens: int = 16,
                 seed: int | None = None):
        self.temperature, self.top_p, self.top_k, self.min_p = temperature, top_p, top_k, min_p
        self.repetition_penalty, self.max_tokens, self.seed = repetition_penalty, max_tokens, seed

    @classmethod
    def from_optional(cls, **kwargs: Any) -> SamplingParams:
        """The defaults where a value is None."""
        return cls(**{k: v for k, v in kwargs.items() if v is not None})


class LoRARequest:
    """``vllm.lora.request.LoRARequest(name, id, path)``."""

    def __init__(self, lora_name: str, lora_int_id: int, lora_path: str):
        self.lora_name, self.lora_int_id, self.lora_path = lora_name, lora_int_id, lora_path


class _Output:
    def __init__(self, text: str):
        self.outputs = [types.SimpleNamespace(text=text)]


class LLM:
    """``vllm.LLM``: a text-only checkpoint (``model_type`` llama) is refused as vLLM refuses it;
    ``chat`` and ``generate`` answer ``" answer <n>\\n"`` per prompt and record the call."""

    def __init__(self, model: str, **kwargs: Any):
        config = json.loads((Path(model) / "config.json").read_text())
        if config.get("model_type") == "llama":
            raise ValueError("1 validation error for ModelConfig\n  Value error, "
                             "`limit_mm_per_prompt` is only supported for multimodal models.\n"
                             "    For further information visit https://errors.pydantic.dev")
        self.model, self.kwargs = model, kwargs
        self.calls: list[tuple[str, list, list, Any]] = []

    def get_default_sampling_params(self) -> SamplingParams:
        """As vLLM does (vllm/entrypoints/llm.py ``get_default_sampling_params``, vllm/config/
        model.py ``get_diff_sampling_param``): the non-default values of the checkpoint's
        generation config (``GenerationConfig.from_pretrained(...).to_diff_dict()``) among
        repetition_penalty, temperature, top_k, top_p, min_p and max_new_tokens (as
        max_tokens), through ``SamplingParams.from_optional``."""
        from transformers import GenerationConfig

        try:
            diff = GenerationConfig.from_pretrained(self.model).to_diff_dict()
        except OSError:
            diff = {}
        available = ("repetition_penalty", "temperature", "top_k", "top_p", "min_p",
                     "max_new_tokens")
        params = {p: diff[p] for p in available if diff.get(p) is not None}
        if "max_new_tokens" in params:
            params["max_tokens"] = params.pop("max_new_tokens")
        return SamplingParams.from_optional(**params) if params else SamplingParams()

    def _answer(self, kind: str, prompts: list, params: list, lora_request: Any) -> list[_Output]:
        assert len(params) == len(prompts)
        self.calls.append((kind, list(prompts), list(params), lora_request))
        return [_Output(f" answer {i}\n") for i in range(len(prompts))]

    def chat(self, messages: list, sampling_params: list, use_tqdm: bool = True,
             lora_request: Any = None) -> list[_Output]:
        """Record one batch of conversations."""
        return self._answer("chat", messages, sampling_params, lora_request)

    def generate(self, prompts: list, sampling_params: list, use_tqdm: bool = True,
                 lora_request: Any = None) -> list[_Output]:
        """Record one batch of prompt dicts."""
        return self._answer("generate", prompts, sampling_params, lora_request)


def install(monkeypatch) -> None:
    """Make ``import vllm`` (and ``vllm.lora.request``) find these fakes for one test."""
    vllm = types.ModuleType("vllm")
    vllm.LLM, vllm.SamplingParams = LLM, SamplingParams
    lora = types.ModuleType("vllm.lora")
    request = types.ModuleType("vllm.lora.request")
    request.LoRARequest = LoRARequest
    for name, module in (("vllm", vllm), ("vllm.lora", lora), ("vllm.lora.request", request)):
        monkeypatch.setitem(sys.modules, name, module)
