"""The transformers backend: batched ``generate`` for the paper's audio LLMs.

A checkpoint's ``model_type`` picks its family (how prompts and audio become model inputs, see
:data:`FAMILIES`): Qwen2-Audio and SeaLLMs-Audio (``qwen2_audio``), Ultravox (``ultravox``, the
Hub's custom code) and Ichigo (``llama`` with ``<|sound_XXXX|>`` tokens). Options:

- ``dtype``: ``auto`` (the checkpoint's), ``bfloat16``, ``float16`` or ``float32``;
- ``device``: ``cuda``, ``cpu``, ``cuda:1``..., or ``auto`` (accelerate's device map); default
  ``cuda`` when available, else ``cpu``;
- ``attn_implementation``: ``sdpa``, ``flash_attention_2``, ``eager`` (default: transformers');
- ``quantizer``: Ichigo's audio tokenizer (see ``hf_families.QUANTIZERS``).

Decoding: temperature 0.0 is greedy; > 0 samples (the checkpoint's top-k/top-p kept) after
``torch.manual_seed(seed)``. Answers are decoded without special tokens and stripped.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cameo_bench.backends.base import Backend, GenerationConfig, Request
from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.registry import Registry

__all__ = ["FAMILIES", "HFBackend", "create", "folder_revision"]

#: ``model_type`` in a checkpoint's config.json → its family class.
FAMILIES = Registry(
    "audio model family (config.json model_type)",
    {
        "qwen2_audio": "cameo_bench.backends.hf_families:Qwen2AudioFamily",
        "ultravox": "cameo_bench.backends.hf_families:UltravoxFamily",
        "llama": "cameo_bench.backends.hf_families:IchigoFamily",
        "qwen2_5_omni": "cameo_bench.backends.families.qwen2_5_omni:Qwen25OmniFamily",
        "voxtral": "cameo_bench.backends.families.voxtral:VoxtralFamily",
        "granite_speech": "cameo_bench.backends.families.granite_speech:GraniteSpeechFamily",
        "phi4_multimodal": "cameo_bench.backends.families.phi4_multimodal:Phi4MultimodalFamily",
        "gemma3n": "cameo_bench.backends.families.gemma3n:Gemma3nFamily",
        "audioflamingo3": "cameo_bench.backends.families.unsupported:AudioFlamingo3",
        "kimi_audio": "cameo_bench.backends.families.unsupported:KimiAudio",
        "midashenglm": "cameo_bench.backends.families.unsupported:MiDashengLM",
    },
)
_DTYPES = ("auto", "bfloat16", "float16", "float32")


def folder_revision(folder: Path) -> str:
    """A revision for a local checkpoint: a hash of its config.json and its files' names and
    sizes, so a changed checkpoint never reuses answers cached for the old one."""
    h = hashlib.sha256((folder / "config.json").read_bytes())
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(f"{p.relative_to(folder).as_posix()}:{p.stat().st_size}\n".encode())
    return "local-" + h.hexdigest()[:16]


def _config_dict(model: str, revision: str | None) -> dict[str, Any]:
    from transformers import PretrainedConfig

    try:
        config, _ = PretrainedConfig.get_config_dict(model, revision=revision)
    except OSError as exc:
        raise CameoError(
            f"cannot read the config of model {model!r}: {str(exc).splitlines()[0]} "
            "(check the Hub id or folder; offline, download it first)"
        ) from None
    return config


class HFBackend(Backend):
    """A transformers model and its family's input builder; one ``generate`` call per batch."""

    runtime_options = frozenset({"device"})

    def __init__(self, model_id: str, revision: str | None, family: Any):
        self.model_id = model_id
        self.revision = revision
        self.family = family

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """Answer a batch: left-padded inputs, one ``model.generate``, new tokens decoded."""
        import torch

        model = self.family.model
        settings = copy.deepcopy(model.generation_config)
        settings.max_new_tokens = config.max_new_tokens
        settings.do_sample = config.temperature > 0
        if settings.do_sample:
            settings.temperature = config.temperature
            torch.manual_seed(config.seed)
        else:
            settings.temperature, settings.top_p, settings.top_k = None, None, None
        settings.pad_token_id = self.family.pad_token_id
        answers: list[str] = []
        for inputs in self.family.batches(requests):
            with torch.inference_mode():
                out = model.generate(**inputs, generation_config=settings)
            new_tokens = out[:, inputs["input_ids"].shape[1]:]
            texts = self.family.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
            answers += [t.strip() for t in texts]
        return answers

    def close(self) -> None:
        """Drop the model and free accelerator memory."""
        import torch

        self.family = None
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def create(
    model: str,
    *,
    revision: str | None = None,
    dtype: str = "auto",
    device: str | None = None,
    attn_implementation: str | None = None,
    quantizer: str = "whisperspeech",
) -> HFBackend:
    """Load ``model`` (Hub id or local folder) with its family; see the module docstring."""
    try:
        import torch
        import transformers  # noqa: F401
    except ModuleNotFoundError as exc:
        raise MissingDependencyError(exc.name or "transformers", "hf") from None
    if dtype not in _DTYPES:
        raise CameoError(f"dtype {dtype!r} is not one of {', '.join(_DTYPES)}")
    config = _config_dict(model, revision)
    family_class = FAMILIES[config.get("model_type", "")]
    if Path(model).is_dir():
        revision = folder_revision(Path(model))
    else:
        revision = config.get("_commit_hash") or revision
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    load = {
        "revision": None if Path(model).is_dir() else revision,
        "dtype": dtype if dtype == "auto" else getattr(torch, dtype),
    }
    if attn_implementation:
        load["attn_implementation"] = attn_implementation
    if device == "auto":
        load["device_map"] = "auto"
    family = family_class(model, load, device=device, quantizer=quantizer)
    model_id = Path(model).resolve().name if Path(model).is_dir() else model
    return HFBackend(model_id, revision, family)
