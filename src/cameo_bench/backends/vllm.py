"""The offline vLLM engine with audio inputs (Qwen2-Audio, SeaLLMs-Audio, Ultravox), batched
through the engine. Needs the ``vllm`` extra and a GPU.

Request building is plain Python (tested without vLLM): each clip becomes
``{"prompt": <chat-formatted text with the model's audio placeholder>,
"multi_modal_data": {"audio": [(array, 16000)]}}`` and the generation settings become
``SamplingParams`` keyword arguments. Options: ``max_model_len`` (default 4096),
``gpu_memory_utilization`` (0.9), ``tensor_parallel_size`` (1), ``dtype`` (``auto``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cameo_bench.backends.base import Backend, GenerationConfig, Request
from cameo_bench.errors import CameoError, MissingDependencyError

__all__ = ["AUDIO_PLACEHOLDERS", "VLLMBackend", "create", "engine_inputs", "sampling_kwargs"]

#: ``model_type`` → how its chat turn refers to the clip's audio.
AUDIO_PLACEHOLDERS: dict[str, str] = {
    "qwen2_audio": "Audio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\n",
    "ultravox": "<|audio|>\n",
}
_SR = 16_000


def _qwen2_audio_chat(content: str) -> str:
    # Qwen2-Audio's chat template (the processor's), as vLLM's audio example writes it.
    return ("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            f"<|im_start|>user\n{content}<|im_end|>\n<|im_start|>assistant\n")


def engine_inputs(
    model_type: str, requests: Sequence[Request], chat: Callable[[str], str] | None = None
) -> list[dict[str, Any]]:
    """vLLM prompt dicts for ``requests``: the audio placeholder then the instruction in one
    user turn, rendered by ``chat`` (the tokenizer's chat template; Qwen2-Audio's is built in)."""
    if model_type not in AUDIO_PLACEHOLDERS:
        raise CameoError(f"vLLM backend: model type {model_type!r} is not supported "
                         f"(supported: {', '.join(AUDIO_PLACEHOLDERS)})")
    render = chat or (_qwen2_audio_chat if model_type == "qwen2_audio" else None)
    if render is None:
        raise CameoError(f"vLLM backend: {model_type} needs its tokenizer's chat template")
    return [
        {"prompt": render(AUDIO_PLACEHOLDERS[model_type] + r.prompt),
         "multi_modal_data": {"audio": [(r.audio, _SR)]}}
        for r in requests
    ]


def sampling_kwargs(config: GenerationConfig) -> dict[str, Any]:
    """``SamplingParams`` arguments: temperature 0.0 is greedy, > 0 samples with the seed."""
    kwargs: dict[str, Any] = {"temperature": config.temperature,
                              "max_tokens": config.max_new_tokens}
    if config.temperature > 0:
        kwargs["seed"] = config.seed
    return kwargs


class VLLMBackend(Backend):
    """A ``vllm.LLM`` engine; each batch goes through one ``generate`` call."""

    runtime_options = frozenset({"gpu_memory_utilization", "tensor_parallel_size"})

    def __init__(self, llm, model_id: str, revision: str | None, model_type: str, chat):
        self.llm, self.model_id, self.revision = llm, model_id, revision
        self.model_type, self.chat = model_type, chat

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """Answer a batch with the engine (it schedules the batch itself)."""
        from vllm import SamplingParams

        outputs = self.llm.generate(
            engine_inputs(self.model_type, requests, self.chat),
            SamplingParams(**sampling_kwargs(config)), use_tqdm=False,
        )
        return [o.outputs[0].text.strip() for o in outputs]

    def close(self) -> None:
        """Drop the engine."""
        self.llm = None


def create(
    model: str,
    *,
    revision: str | None = None,
    max_model_len: int = 4096,
    gpu_memory_utilization: float = 0.9,
    tensor_parallel_size: int = 1,
    dtype: str = "auto",
) -> VLLMBackend:
    """Start the vLLM engine for ``model`` (Hub id or folder); see the module docstring."""
    try:
        from vllm import LLM
    except ModuleNotFoundError:
        raise MissingDependencyError("vllm", "vllm", "the vllm backend needs a GPU") from None
    from transformers import AutoTokenizer, PretrainedConfig

    config, _ = PretrainedConfig.get_config_dict(model, revision=revision)
    model_type = config.get("model_type", "")
    chat = None
    if model_type != "qwen2_audio":
        tokenizer = AutoTokenizer.from_pretrained(model, revision=revision)

        def chat(content: str) -> str:
            return tokenizer.apply_chat_template([{"role": "user", "content": content}],
                                                 tokenize=False, add_generation_prompt=True)

    engine_inputs(model_type, [], chat)  # unsupported model types fail before the engine starts
    llm = LLM(model=model, revision=revision, max_model_len=int(max_model_len),
              gpu_memory_utilization=float(gpu_memory_utilization),
              tensor_parallel_size=int(tensor_parallel_size), dtype=dtype,
              limit_mm_per_prompt={"audio": 1}, trust_remote_code=True)
    return VLLMBackend(llm, model, config.get("_commit_hash") or revision, model_type, chat)
