"""Any OpenAI-compatible chat-completions server that hears audio (``vllm serve``, hosted audio
models). Each clip is one request: the instruction as a text part and the audio as a base64 WAV
``input_audio`` part. Options:

- ``base_url``: the server (default ``$OPENAI_BASE_URL``, else OpenAI's);
- ``api_key_env``: the environment variable holding the key (default ``OPENAI_API_KEY``; a
  server at ``base_url`` with no key set gets ``EMPTY``, as ``vllm serve`` expects);
- ``concurrency``: requests in flight at once (default 8; use ``--batch-size`` ≥ this);
- ``max_retries`` (default 4) and ``backoff`` (seconds, doubled per retry; default 1.0): a
  connection error, timeout, 408, 429 or 5xx is retried; after the last retry, or on any other
  error, the clip is returned as :class:`Failed` and the run goes on;
- ``timeout``: seconds per request (default 120); ``revision``: recorded as the model revision.
"""

from __future__ import annotations

import base64
import io
import os
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import soundfile as sf

from cameo_bench.backends.base import Backend, Failed, GenerationConfig, Request
from cameo_bench.errors import CameoError, MissingDependencyError

__all__ = ["OpenAIBackend", "create", "wav_base64", "chat_messages"]

_RETRY_STATUS = {408, 409, 429}


def wav_base64(audio: np.ndarray, rate: int = 16_000) -> str:
    """16-bit PCM WAV bytes of ``audio``, base64-encoded."""
    buf = io.BytesIO()
    sf.write(buf, audio, rate, format="WAV", subtype="PCM_16")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def chat_messages(request: Request) -> list[dict[str, Any]]:
    """The chat messages of one clip: one user turn, the audio then the instruction."""
    audio = {"type": "input_audio", "input_audio": {"data": wav_base64(request.audio),
                                                    "format": "wav"}}
    return [{"role": "user", "content": [audio, {"type": "text", "text": request.prompt}]}]


class OpenAIBackend(Backend):
    """A chat-completions client with bounded retries and a concurrency limit."""

    runtime_options = frozenset(
        {"base_url", "api_key_env", "concurrency", "max_retries", "backoff", "timeout"})

    def __init__(self, client, model: str, revision: str | None, *, concurrency: int,
                 max_retries: int, backoff: float):
        import openai

        self.client, self.model_id, self.revision = client, model, revision
        self.max_retries, self.backoff = max_retries, backoff
        self.pool = ThreadPoolExecutor(max_workers=concurrency)
        self._errors = openai

    def _retryable(self, exc: Exception) -> bool:
        e = self._errors
        if isinstance(exc, (e.APIConnectionError, e.APITimeoutError)):
            return True
        return isinstance(exc, e.APIStatusError) and (
            exc.status_code >= 500 or exc.status_code in _RETRY_STATUS
        )

    def _ask(self, request: Request, config: GenerationConfig) -> str:
        messages = chat_messages(request)
        attempt = 0
        while True:
            try:
                reply = self.client.chat.completions.create(
                    model=self.model_id, messages=messages, temperature=config.temperature,
                    max_tokens=config.max_new_tokens, seed=config.seed,
                )
                return (reply.choices[0].message.content or "").strip()
            except self._errors.OpenAIError as exc:
                status = getattr(exc, "status_code", None)
                what = f"{type(exc).__name__}" + (f" {status}" if status else "")
                if not self._retryable(exc):
                    return Failed(f"{what}: {str(exc).splitlines()[0][:200]}")
                if attempt == self.max_retries:
                    return Failed(f"{what} after {attempt + 1} tries")
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
    client = openai.OpenAI(base_url=base_url, api_key=key or "EMPTY", max_retries=0,
                           timeout=float(timeout))
    return OpenAIBackend(client, model, revision, concurrency=int(concurrency),
                         max_retries=int(max_retries), backoff=float(backoff))
