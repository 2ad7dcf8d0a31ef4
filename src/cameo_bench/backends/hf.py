"""The transformers backend: batched ``generate`` for the paper's audio LLMs.

A checkpoint's ``model_type`` picks its family (how prompts and audio become model inputs, see
:data:`FAMILIES`): Qwen2-Audio and SeaLLMs-Audio (``qwen2_audio``), Ultravox (``ultravox``, the
Hub's custom code) and Ichigo (``llama`` with ``<|sound_XXXX|>`` tokens). Options:

- ``dtype``: ``auto`` (the checkpoint's), ``bfloat16``, ``float16`` or ``float32``;
- ``device``: ``cuda``, ``cpu``, ``cuda:1``..., or ``auto`` (accelerate's device map); default
  ``cuda`` when available, else ``cpu``;
- ``attn_implementation``: ``sdpa``, ``flash_attention_2``, ``eager`` (default: transformers');
- ``decoding``: ``checkpoint`` (default) or ``plain`` (see :mod:`cameo_bench.backends.decoding`);
- ``quantizer``: Ichigo's audio tokenizer (see ``families.ichigo.QUANTIZERS``); Ichigo only.

Decoding (:attr:`HFBackend.effective_settings`): temperature 0.0 is greedy; > 0 samples each
clip with its own seed (:class:`ClipSampler`). The checkpoint's ``top_k``/``top_p``/``min_p``/
``repetition_penalty`` apply as vLLM would apply them; nothing else of its generation config
changes the decoding (``generate`` gets ``use_model_defaults=False``, so transformers never
back-fills our greedy settings with the checkpoint's ``do_sample``). Answers are decoded without
special tokens and stripped.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cameo_bench.backends.base import Backend, GenerationConfig, Request
from cameo_bench.backends.decoding import Decoding, checkpoint_decoding, clip_seed
from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.registry import Registry

__all__ = ["FAMILIES", "ClipSampler", "HFBackend", "checkpoint_config", "create", "folder_revision"]

#: ``model_type`` in a checkpoint's config.json → its family class.
FAMILIES = Registry(
    "audio model family (config.json model_type)",
    {
        "qwen2_audio": "cameo_bench.backends.families.qwen2_audio:Qwen2AudioFamily",
        "ultravox": "cameo_bench.backends.families.ultravox:UltravoxFamily",
        "llama": "cameo_bench.backends.families.ichigo:IchigoFamily",
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
#: Generation-config fields that would change decoding beyond :class:`Decoding` (vLLM applies
#: none of them), set to their neutral values for every ``generate`` call.
_NEUTRAL = {"do_sample": False, "num_beams": 1, "temperature": None, "top_k": None, "top_p": None,
            "min_p": None, "typical_p": None, "no_repeat_ngram_size": 0,
            "encoder_repetition_penalty": 1.0}


def folder_revision(folder: Path) -> str:
    """A revision for a local checkpoint: a hash of its config.json and its files' names and
    sizes, so a changed checkpoint never reuses answers cached for the old one."""
    h = hashlib.sha256((folder / "config.json").read_bytes())
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(f"{p.relative_to(folder).as_posix()}:{p.stat().st_size}\n".encode())
    return "local-" + h.hexdigest()[:16]


def checkpoint_config(model: str, revision: str | None) -> dict[str, Any]:
    """The config.json of ``model`` (Hub id or folder) as a dict; a checkpoint that cannot be
    read raises a one-line :class:`CameoError` with the likely fix."""
    from transformers import PretrainedConfig

    try:
        config, _ = PretrainedConfig.get_config_dict(model, revision=revision)
    except OSError as exc:
        raise CameoError(
            f"cannot read the config of model {model!r}: {str(exc).splitlines()[0]} "
            "(check the Hub id or folder; offline, download it first)"
        ) from None
    return config


class ClipSampler:
    """A logits processor that makes greedy search sample, each batch row with its own seed.

    It applies the sampling warpers (temperature, then the decoding's top-k, top-p and min-p, in
    transformers' order) and adds exponential-race noise (``-log E``, ``E ~ Exp(1)``, the
    Gumbel-max trick vLLM's sampler uses) drawn from the row's own generator, so the argmax is a
    draw from the row's softmax. A row's draws depend on its seed alone: the same clip samples
    the same answer at any batch size, position, shard or resume.
    """

    def __init__(self, seeds: Sequence[int], temperature: float, decoding: Decoding):
        from transformers.generation.logits_process import (
            MinPLogitsWarper,
            TemperatureLogitsWarper,
            TopKLogitsWarper,
            TopPLogitsWarper,
        )

        self.seeds = list(seeds)
        self.warpers: list[Any] = [TemperatureLogitsWarper(temperature)]
        if decoding.top_k is not None:
            self.warpers.append(TopKLogitsWarper(decoding.top_k))
        if decoding.top_p < 1.0:
            self.warpers.append(TopPLogitsWarper(decoding.top_p))
        if decoding.min_p > 0.0:
            self.warpers.append(MinPLogitsWarper(decoding.min_p))
        self.generators: list[Any] | None = None

    def __call__(self, input_ids, scores):
        """Warp ``scores`` (batch × vocabulary) and add each row's noise."""
        import torch

        for warper in self.warpers:
            scores = warper(input_ids, scores)
        if self.generators is None:
            self.generators = [torch.Generator(device=scores.device).manual_seed(s)
                               for s in self.seeds]
        noise = torch.stack([
            torch.empty(scores.shape[1], device=scores.device).exponential_(generator=g)
            for g in self.generators
        ])
        return scores.float() - noise.log()


class HFBackend(Backend):
    """A transformers model and its family's input builder; one ``generate`` call per batch.

    ``effective_settings`` records the decoding extras and the seed scheme (for run.json and the
    cache key).
    """

    runtime_options = frozenset({"device"})

    def __init__(self, model_id: str, revision: str | None, family: Any, decoding: Decoding):
        self.model_id = model_id
        self.revision = revision
        self.family = family
        self.decoding = decoding
        self.effective_settings = decoding.settings()

    def _settings(self, config: GenerationConfig):
        """The model's generation config with this run's decoding: greedy search (sampling, if
        any, is :class:`ClipSampler`'s), the checkpoint's repetition penalty, the token cap."""
        settings = copy.deepcopy(self.family.model.generation_config)
        settings.update(**_NEUTRAL, repetition_penalty=self.decoding.repetition_penalty,
                        max_new_tokens=config.max_new_tokens,
                        pad_token_id=self.family.pad_token_id)
        return settings

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """Answer a batch: left-padded inputs, one ``model.generate`` per family batch, new
        tokens decoded. At temperature > 0 each clip samples with :func:`clip_seed`."""
        import torch
        from transformers import LogitsProcessorList

        model = self.family.model
        settings = self._settings(config)
        seeds = [clip_seed(config.seed, r.record.file_id, config.temperature) for r in requests]
        answers: list[str] = []
        for inputs in self.family.batches(requests):
            rows = inputs["input_ids"].shape[0]
            processors = LogitsProcessorList()
            if config.temperature > 0:
                processors.append(ClipSampler(seeds[len(answers):len(answers) + rows],
                                              config.temperature, self.decoding))
            with torch.inference_mode():
                out = model.generate(**inputs, generation_config=settings,
                                     logits_processor=processors, use_model_defaults=False)
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
    decoding: str = "checkpoint",
    quantizer: str | None = None,
) -> HFBackend:
    """Load ``model`` (Hub id or local folder) with its family; see the module docstring."""
    try:
        import torch
        import transformers  # noqa: F401
    except ModuleNotFoundError as exc:
        raise MissingDependencyError(exc.name or "transformers", "hf") from None
    if dtype not in _DTYPES:
        raise CameoError(f"dtype {dtype!r} is not one of {', '.join(_DTYPES)}")
    checkpoint_decoding({}, decoding)  # an unknown mode fails before the model loads
    config = checkpoint_config(model, revision)
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
    family_options = {} if quantizer is None else {"quantizer": quantizer}
    if family_options and "quantizer" not in inspect.signature(family_class).parameters:
        raise CameoError(f"option quantizer applies to Ichigo checkpoints only, not to {model} "
                         f"({config.get('model_type')})")
    family = family_class(model, load, device=device, **family_options)
    model_id = Path(model).resolve().name if Path(model).is_dir() else model
    # what else the answers depend on (Ichigo: its quantizer) is part of the revision
    revision = ";".join([*([revision] if revision else []), *family.revision_parts]) or None
    chosen = checkpoint_decoding(family.model.generation_config.to_diff_dict(), decoding)
    return HFBackend(model_id, revision, family, chosen)
