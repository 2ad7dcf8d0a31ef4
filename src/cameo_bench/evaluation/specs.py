"""Model specs: how a user names a model on the command line.

Grammar (``REV`` is an optional Hub revision: branch, tag or commit)::

    SPEC     := ALIAS | BACKEND ":" MODEL ["@" REV] | HUB_ID ["@" REV] | LOCAL_DIR | STANDALONE
    ALIAS    := qwen2-audio | kimi-audio | ...   (→ the first backend the model registry lists
                                                  for it: hf, or vllm for a model only vLLM runs)
    BACKEND  := hf | vllm | openai                                     (see backends.BACKENDS)
    MODEL    := ALIAS | HUB_ID | LOCAL_DIR (hf, vllm) or the server's model name (openai)
    STANDALONE := random | majority | egemaps-logreg | ...             (backends with no model)

A backend stands alone when its factory has a default model (``backends.factory.default_model``).

Examples: ``qwen2-audio``, ``hf:Qwen/Qwen2-Audio-7B-Instruct``, ``vllm:ultravox``,
``openai:gpt-4o-audio-preview``, ``random``, ``./checkpoints/my-model``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cameo_bench.backends import BACKENDS
from cameo_bench.backends.factory import default_model
from cameo_bench.backends.models import ALIASES, MODELS
from cameo_bench.errors import CameoError, UnknownNameError

__all__ = ["ALIASES", "ModelSpec", "parse_model_spec"]

#: Alias → the backend a bare alias runs on: the first the registry lists for the model (hf
#: where transformers can run it, else vllm, e.g. ``kimi-audio``).
_ALIAS_BACKEND = {m.alias: m.backends[0] for m in MODELS}

@dataclass(frozen=True)
class ModelSpec:
    """A parsed spec: which backend, which model (Hub id, folder or server name), which revision."""

    backend: str
    model: str
    revision: str | None = None


def _standalone_model(backend: str) -> str | None:
    """The model a registered backend runs when none is named (None: it needs one)."""
    return default_model(BACKENDS[backend])


def _split_revision(model: str) -> tuple[str, str | None]:
    if "@" in model and not Path(model).exists():
        model, _, rev = model.rpartition("@")
        return model, rev or None
    return model, None


def parse_model_spec(spec: str) -> ModelSpec:
    """Parse ``spec`` (grammar in the module docstring); unknown names raise with a suggestion."""
    spec = spec.strip()
    backend, sep, rest = spec.partition(":")
    if sep and backend in BACKENDS:
        if not rest:
            raise CameoError(f"model spec {spec!r} names no model after '{backend}:'")
        if _standalone_model(backend) is not None:
            return ModelSpec(backend, rest)
        model, revision = _split_revision(rest)
        return ModelSpec(backend, ALIASES.get(model, model), revision)
    if spec in ALIASES:
        return ModelSpec(_ALIAS_BACKEND[spec], ALIASES[spec])
    if spec in BACKENDS and (standalone := _standalone_model(spec)) is not None:
        return ModelSpec(spec, standalone)
    if Path(spec).is_dir():
        return ModelSpec("hf", spec)
    model, revision = _split_revision(spec)
    if "/" in model and not sep and model.count("/") == 1 and not model.startswith((".", "/")):
        return ModelSpec("hf", model, revision)
    standalone = [b for b in BACKENDS if _standalone_model(b) is not None]
    known = list(ALIASES) + standalone
    known += [f"{b}:<model>" for b in BACKENDS if b not in standalone]
    raise UnknownNameError("model", spec, known)
