"""The offline vLLM engine for any audio model vLLM runs. Needs the ``vllm`` extra and a GPU.

Each clip goes through vLLM's chat path (``LLM.chat``): one OpenAI-style user message, the audio
as an ``input_audio`` part (a base64 32-bit float WAV: lossless) then the instruction, so vLLM
renders the model's chat template and audio placeholder itself. A hand-built prompt (``LLM.
generate`` with the audio as ``multi_modal_data``) is kept only where vLLM's own example
(``examples/offline_inference/audio_language.py``) builds the prompt by hand: see
:data:`RECIPES`, each pinned by a test to that example. Models that need their speech LoRA
(Phi-4-multimodal, Granite-Speech) get it as the example does.

Requests are plain Python (tested without vLLM): :func:`chat_conversations`,
:func:`engine_inputs` and :func:`sampling_kwargs`. Decoding starts from
``LLM.get_default_sampling_params()`` (the checkpoint's generation_config.json, see
:mod:`cameo_bench.backends.decoding`); every clip gets ``SamplingParams(seed=...)`` of its own.
vLLM schedules its own batches: hand it :attr:`VLLMBackend.preferred_batch_size` clips per call.

Options: ``max_model_len`` (default 4096), ``gpu_memory_utilization`` (0.9),
``tensor_parallel_size`` (1), ``dtype`` (``auto``), ``decoding`` (``checkpoint`` or ``plain``),
``load_format`` (``auto``; ``dummy`` runs random weights, for throughput checks).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cameo_bench.audio import TARGET_SR
from cameo_bench.backends.base import Backend, GenerationConfig, Request
from cameo_bench.backends.decoding import (
    SAMPLING_FIELDS,
    Decoding,
    checkpoint_decoding,
    clip_seed,
)
from cameo_bench.backends.hf import checkpoint_config, folder_revision
from cameo_bench.backends.openai_api import chat_messages
from cameo_bench.errors import CameoError, MissingDependencyError

__all__ = ["PREFERRED_BATCH_SIZE", "RECIPES", "Recipe", "VLLMBackend", "chat_conversations",
           "create", "engine_inputs", "sampling_kwargs"]

#: Clips per ``generate`` call: vLLM batches within a call, so small calls leave the GPU idle.
PREFERRED_BATCH_SIZE = 256

#: vLLM refusing a model's audio at engine start (text-only model, unknown architecture).
_NO_AUDIO = re.compile(r"only supported for multimodal models|not support\w* .*audio"
                       r"|architectures? .* not supported", re.IGNORECASE)


@dataclass(frozen=True)
class Recipe:
    """How one checkpoint ``model_type`` goes through vLLM.

    ``prompt``: the hand-built prompt, ``{instruction}`` standing for the benchmark's
    instruction (None: the chat path renders the template); ``engine``: extra ``LLM(...)``
    arguments; ``lora``: the speech LoRA's folder inside the checkpoint (``""``: the checkpoint
    itself; None: no LoRA); ``example``: its function in vLLM's audio_language.py.
    """

    prompt: str | None = None
    engine: Mapping[str, Any] = field(default_factory=dict)
    lora: str | None = None
    example: str = ""


_QWEN_SYSTEM = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
_PHI4 = Recipe(prompt="<|user|><|audio_1|>{instruction}<|end|><|assistant|>",
               engine={"enable_lora": True, "max_lora_rank": 320}, lora="speech-lora",
               example="run_phi4mm")

#: ``model_type`` → its recipe; a type not listed takes the chat path with no extras.
RECIPES: dict[str, Recipe] = {
    # the Hub chat template does not render vLLM's audio part (vLLM issues 19977, 16583)
    "qwen2_audio": Recipe(
        prompt=(f"{_QWEN_SYSTEM}<|im_start|>user\n"
                "Audio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\n{instruction}<|im_end|>\n"
                "<|im_start|>assistant\n"),
        example="run_qwen2_audio"),
    "qwen2_5_omni": Recipe(
        prompt=("<|im_start|>system\nYou are Qwen, a virtual human developed by the Qwen Team, "
                "Alibaba Group, capable of perceiving auditory and visual inputs, as well as "
                "generating text and speech.<|im_end|>\n<|im_start|>user\n"
                "<|audio_bos|><|AUDIO|><|audio_eos|>\n{instruction}<|im_end|>\n"
                "<|im_start|>assistant\n"),
        example="run_qwen2_5_omni"),
    "phi4mm": _PHI4,
    "phi4_multimodal": _PHI4,
    "granite_speech": Recipe(
        prompt=("<|start_of_role|>system<|end_of_role|>Knowledge Cutoff Date: April 2024.\n"
                "Today's Date: December 19, 2024.\nYou are Granite, developed by IBM. You are a "
                "helpful AI assistant<|end_of_text|>\n<|start_of_role|>user<|end_of_role|>"
                "<|audio|>{instruction}<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>"),
        engine={"enable_lora": True, "max_lora_rank": 64}, lora="",
        example="run_granite_speech"),
    "midashenglm": Recipe(
        prompt=("<|im_start|>system\nYou are a helpful language and speech assistant.<|im_end|>\n"
                "<|im_start|>user\n<|audio_bos|><|AUDIO|><|audio_eos|>{instruction}<|im_end|>\n"
                "<|im_start|>assistant\n"),
        example="run_midashenglm"),
    "audioflamingo3": Recipe(
        prompt=f"{_QWEN_SYSTEM}<|im_start|>user\n<sound>{{instruction}}<|im_end|>\n"
               "<|im_start|>assistant\n",
        example="run_audioflamingo3"),
    # the chat path, with the mistral-common tokenizer that encodes Voxtral's audio chunks
    "voxtral": Recipe(engine={"tokenizer_mode": "mistral", "config_format": "mistral",
                              "load_format": "mistral"},
                      example="run_voxtral"),
}


def chat_conversations(requests: Sequence[Request]) -> list[list[dict[str, Any]]]:
    """One ``LLM.chat`` conversation per request: one user turn, the audio (a base64 32-bit
    float WAV ``input_audio`` part) then the instruction."""
    return [chat_messages(r, subtype="FLOAT") for r in requests]


def engine_inputs(recipe: Recipe, requests: Sequence[Request]) -> list[dict[str, Any]]:
    """``LLM.generate`` prompt dicts for a hand-built ``recipe``: its prompt with the
    instruction, the audio as ``multi_modal_data`` (16 kHz)."""
    if recipe.prompt is None:
        raise CameoError("this model takes vLLM's chat path, not a hand-built prompt")
    return [{"prompt": recipe.prompt.replace("{instruction}", r.prompt),
             "multi_modal_data": {"audio": [(r.audio, TARGET_SR)]}}
            for r in requests]


def sampling_kwargs(decoding: Decoding, config: GenerationConfig,
                    requests: Sequence[Request]) -> list[dict[str, Any]]:
    """``SamplingParams`` arguments per request: temperature 0.0 is greedy (vLLM then ignores
    top-k/top-p/min-p and seeds); > 0 samples with the decoding's extras and the clip's seed.
    The repetition penalty applies to both, as in transformers."""
    common: dict[str, Any] = {"temperature": config.temperature,
                              "max_tokens": config.max_new_tokens,
                              "repetition_penalty": decoding.repetition_penalty}
    if config.temperature <= 0:
        return [dict(common) for _ in requests]
    common.update(top_k=decoding.top_k or -1, top_p=decoding.top_p, min_p=decoding.min_p)
    return [{**common, "seed": clip_seed(config.seed, r.record.file_id, config.temperature)}
            for r in requests]


class VLLMBackend(Backend):
    """A ``vllm.LLM`` engine; each call goes to the engine in one ``chat`` (or ``generate``)
    call. ``effective_settings`` records the decoding extras and the seed scheme."""

    runtime_options = frozenset({"gpu_memory_utilization", "tensor_parallel_size"})
    #: Clips per :meth:`generate` call the engine wants (it schedules them itself).
    preferred_batch_size = PREFERRED_BATCH_SIZE

    def __init__(self, llm, model_id: str, revision: str | None, recipe: Recipe,
                 decoding: Decoding, lora=None):
        self.llm, self.model_id, self.revision = llm, model_id, revision
        self.recipe, self.decoding, self.lora = recipe, decoding, lora
        self.effective_settings = decoding.settings()

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """Answer the clips with the engine: the chat path, or the recipe's hand-built prompt."""
        from vllm import SamplingParams

        params = [SamplingParams(**kw) for kw in sampling_kwargs(self.decoding, config, requests)]
        if self.recipe.prompt is None:
            outputs = self.llm.chat(chat_conversations(requests), params, use_tqdm=False,
                                    lora_request=self.lora)
        else:
            outputs = self.llm.generate(engine_inputs(self.recipe, requests), params,
                                        use_tqdm=False, lora_request=self.lora)
        return [o.outputs[0].text.strip() for o in outputs]

    def close(self) -> None:
        """Drop the engine."""
        self.llm = None


def _lora_request(recipe: Recipe, model: str, revision: str | None):
    """The recipe's speech LoRA as a ``LoRARequest`` (the checkpoint downloaded if needed)."""
    if recipe.lora is None:
        return None
    from vllm.lora.request import LoRARequest

    root = Path(model)
    if not root.is_dir():
        from huggingface_hub import snapshot_download

        root = Path(snapshot_download(model, revision=revision))
    return LoRARequest("speech", 1, str(root / recipe.lora))


def create(
    model: str,
    *,
    revision: str | None = None,
    max_model_len: int = 4096,
    gpu_memory_utilization: float = 0.9,
    tensor_parallel_size: int = 1,
    dtype: str = "auto",
    decoding: str = "checkpoint",
    load_format: str = "auto",
) -> VLLMBackend:
    """Start the vLLM engine for ``model`` (Hub id or folder); see the module docstring."""
    try:
        from vllm import LLM
    except ModuleNotFoundError:
        raise MissingDependencyError("vllm", "vllm", "the vllm backend needs a GPU") from None
    checkpoint_decoding({}, decoding)  # an unknown mode fails before the engine starts
    config = checkpoint_config(model, revision)
    recipe = RECIPES.get(config.get("model_type", ""), Recipe())
    engine = dict(recipe.engine)
    if load_format != "auto":
        engine["load_format"] = load_format
    try:
        llm = LLM(model=model, revision=revision, max_model_len=int(max_model_len),
                  gpu_memory_utilization=float(gpu_memory_utilization),
                  tensor_parallel_size=int(tensor_parallel_size), dtype=dtype,
                  limit_mm_per_prompt={"audio": 1}, trust_remote_code=True, **engine)
    except Exception as exc:
        line = next((x.strip() for x in str(exc).splitlines() if _NO_AUDIO.search(x)), None)
        if line is None:
            raise
        raise CameoError(f"vLLM cannot run {model} ({', '.join(config.get('architectures', []))}"
                         f") with audio: {line} (see `cameo models` for the backends that "
                         "can)") from None
    defaults = llm.get_default_sampling_params()
    chosen = checkpoint_decoding({k: getattr(defaults, k, None) for k in SAMPLING_FIELDS},
                                 decoding)
    if Path(model).is_dir():
        model_id, revision = Path(model).resolve().name, folder_revision(Path(model))
    else:
        model_id, revision = model, config.get("_commit_hash") or revision
    return VLLMBackend(llm, model_id, revision, recipe, chosen,
                       _lora_request(recipe, model, revision))
