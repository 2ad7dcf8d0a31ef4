"""Any OpenAI-compatible chat-completions server that hears audio (``vllm serve``, hosted audio
models such as OpenAI's gpt-4o-audio class or Gemini's OpenAI-compatible endpoint:
``--model openai:NAME -O base_url=...``). Each clip is one request: one user turn, the audio as a
base64 WAV ``input_audio`` part, then the instruction as a text part. Options:

- ``base_url``: the server (default ``$OPENAI_BASE_URL``, else OpenAI's);
- ``api_key_env``: the environment variable holding the key (default ``OPENAI_API_KEY``; a
  server at ``base_url`` with no key set gets ``EMPTY``, as ``vllm serve`` expects);
- ``max_tokens_field``: ``max_tokens`` (default) or ``max_completion_tokens``, the name a host
  wants for the token cap (OpenAI's newer models refuse ``max_tokens``);
- ``decoding``: ``checkpoint`` (default): the request carries temperature, token cap and seed, and
  the server's defaults do the rest (``vllm serve`` applies the checkpoint's
  generation_config.json, as the hf and vllm backends do); ``plain``: the request also turns
  top-k, top-p, min-p and the repetition penalty off (``top_k``, ``min_p`` and
  ``repetition_penalty`` are vLLM's extra fields: hosted APIs may refuse them);
- ``concurrency``: requests in flight at once (default 8; use ``--batch-size`` ≥ this);
- ``max_retries`` (default 4) and ``backoff`` (seconds, doubled per retry; default 1.0): a
  connection error, timeout, 408, 429 or 5xx is retried; after the last retry, or on any other
  error, the clip is returned as :class:`Failed` and the run goes on;
- ``timeout``: seconds per request (default 120); ``revision``: recorded as the model revision.

Every request carries the clip's own seed (:func:`~cameo_bench.backends.decoding.clip_seed`).
A server whose chat template cannot place the audio (Qwen2-Audio behind ``vllm serve``, vLLM
issues 19977 and 16583) stops the run with the one line that fixes it.
"""

from __future__ import annotations

import base64
import io
import os
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import soundfile as sf

from cameo_bench.audio import TARGET_SR
from cameo_bench.backends.base import Backend, Failed, GenerationConfig, Request
from cameo_bench.backends.decoding import SEED_SCHEME, Decoding, checkpoint_decoding, clip_seed
from cameo_bench.errors import CameoError, MissingDependencyError, UnknownNameError

__all__ = ["OpenAIBackend", "TEMPLATE_FIX", "chat_messages", "create", "request_fields",
           "wav_base64"]

_RETRY_STATUS = {408, 409, 429}
_TOKEN_FIELDS = ("max_tokens", "max_completion_tokens")
#: What vLLM answers when the rendered prompt holds no place for the clip's audio (its
#: multimodal processor, across versions).
_AUDIO_NOT_PLACED = re.compile(
    r"prompt updates? corresponding to \d+ audio|prompt replacements? for mm_items\[.audio.\]"
    r"|multimodal tokens to \d+ placeholders", re.IGNORECASE)
#: The one line for a server whose chat template drops the audio part.
TEMPLATE_FIX = (
    "the server's chat template does not render the audio part, so the audio never reaches the "
    "model (vLLM issues 19977, 16583: Qwen2-Audio's Hub template); restart vllm serve with "
    "--chat-template template_qwen2_audio.jinja (examples/ in vLLM's GitHub repository)")


def wav_base64(audio: np.ndarray, rate: int = TARGET_SR, subtype: str = "PCM_16") -> str:
    """WAV bytes of ``audio`` (``subtype``: soundfile's, e.g. ``PCM_16`` or ``FLOAT``),
    base64-encoded."""
    buf = io.BytesIO()
    sf.write(buf, audio, rate, format="WAV", subtype=subtype)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def chat_messages(request: Request, subtype: str = "PCM_16") -> list[dict[str, Any]]:
    """The chat messages of one clip: one user turn, the audio (a base64 WAV of ``subtype``)
    then the instruction."""
    audio = {"type": "input_audio", "input_audio": {"data": wav_base64(request.audio,
                                                                       subtype=subtype),
                                                    "format": "wav"}}
    return [{"role": "user", "content": [audio, {"type": "text", "text": request.prompt}]}]


def request_fields(decoding: Decoding, config: GenerationConfig, seed: int,
                   max_tokens_field: str = "max_tokens") -> dict[str, Any]:
    """The sampling fields of one chat-completions request (besides model and messages); a
    ``plain`` decoding sends vLLM's extra fields in ``extra_body``."""
    fields: dict[str, Any] = {"temperature": config.temperature,
                              max_tokens_field: config.max_new_tokens, "seed": seed}
    if decoding.mode == "plain":
        fields["top_p"] = 1.0
        fields["extra_body"] = {"top_k": -1, "min_p": 0.0, "repetition_penalty": 1.0}
    return fields


class OpenAIBackend(Backend):
    """A chat-completions client with bounded retries and a concurrency limit."""

    runtime_options = frozenset({"base_url", "api_key_env", "concurrency", "max_retries",
                                 "backoff", "timeout", "max_tokens_field"})

    def __init__(self, client, model: str, revision: str | None, *, concurrency: int,
                 max_retries: int, backoff: float, decoding: Decoding | None = None,
                 max_tokens_field: str = "max_tokens"):
        import openai

        self.client, self.model_id, self.revision = client, model, revision
        self.max_retries, self.backoff = max_retries, backoff
        self.decoding = decoding or checkpoint_decoding({})
        self.max_tokens_field = max_tokens_field
        self.effective_settings = (
            self.decoding.settings() if self.decoding.mode == "plain" else
            {"mode": "checkpoint", "server_defaults": "top_k, top_p, min_p, repetition_penalty",
             "seeds": SEED_SCHEME})
        self.pool = ThreadPoolExecutor(max_workers=concurrency)
        self._errors = openai

    def _retryable(self, exc: Exception) -> bool:
        e = self._errors
        if isinstance(exc, (e.APIConnectionError, e.APITimeoutError)):
            return True
        return isinstance(exc, e.APIStatusError) and (
            exc.status_code >= 500 or exc.status_code in _RETRY_STATUS
        )

    def _failure(self, what: str, exc: Exception, attempts: int | None) -> Failed:
        """The clip's failure; a bare 500 from a Qwen2-Audio server names the likely fix."""
        text = f"{what} after {attempts} tries" if attempts else \
            f"{what}: {str(exc).splitlines()[0][:200]}"
        if getattr(exc, "status_code", None) == 500 and "qwen2-audio" in self.model_id.lower():
            text += f" (if this is vllm serve: {TEMPLATE_FIX})"
        return Failed(text)

    def _ask(self, request: Request, config: GenerationConfig) -> str:
        messages = chat_messages(request)
        seed = clip_seed(config.seed, request.record.file_id, config.temperature)
        fields = request_fields(self.decoding, config, seed, self.max_tokens_field)
        attempt = 0
        while True:
            try:
                reply = self.client.chat.completions.create(
                    model=self.model_id, messages=messages, **fields)
                return (reply.choices[0].message.content or "").strip()
            except self._errors.OpenAIError as exc:
                if _AUDIO_NOT_PLACED.search(str(exc)):
                    raise CameoError(f"{self.model_id}: {TEMPLATE_FIX}") from None
                status = getattr(exc, "status_code", None)
                what = f"{type(exc).__name__}" + (f" {status}" if status else "")
                if not self._retryable(exc):
                    return self._failure(what, exc, None)
                if attempt == self.max_retries:
                    return self._failure(what, exc, attempt + 1)
                time.sleep(self.backoff * 2**attempt)
                attempt += 1

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """Ask for every clip of the batch, ``concurrency`` at a time; failures come back as
        :class:`Failed` answers."""
        return list(self.pool.map(lambda r: self._ask(r, config), requests))

    def close(self) -> None:
        """Stop the worker threads and the HTTP client."""
        self.pool.shutdown(wait=True)
        self.client.close()


def create(
    model: str,
    *,
    base_url: str | None = None,
    api_key_env: str = "OPENAI_API_KEY",
    concurrency: int = 8,
    max_retries: int = 4,
    backoff: float = 1.0,
    timeout: float = 120.0,
    revision: str | None = None,
    decoding: str = "checkpoint",
    max_tokens_field: str = "max_tokens",
) -> OpenAIBackend:
    """A backend for ``model`` on an OpenAI-compatible server; see the module docstring."""
    try:
        import openai
    except ModuleNotFoundError:
        raise MissingDependencyError("openai", "api") from None
    base_url = base_url or os.environ.get("OPENAI_BASE_URL")
    key = os.environ.get(api_key_env)
    if not key and base_url is None:
        raise CameoError(f"no API key: set ${api_key_env} (or give -O base_url=... for a local "
                         "server)")
    if int(concurrency) < 1 or int(max_retries) < 0:
        raise CameoError("concurrency must be >= 1 and max_retries >= 0")
    if max_tokens_field not in _TOKEN_FIELDS:
        raise UnknownNameError("max_tokens_field", max_tokens_field, _TOKEN_FIELDS)
    chosen = checkpoint_decoding({}, decoding)
    client = openai.OpenAI(base_url=base_url, api_key=key or "EMPTY", max_retries=0,
                           timeout=float(timeout))
    return OpenAIBackend(client, model, revision, concurrency=int(concurrency),
                         max_retries=int(max_retries), backoff=float(backoff), decoding=chosen,
                         max_tokens_field=max_tokens_field)
