"""The interface every model backend implements (one module per backend, see the registry)."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from cameo_bench.errors import CameoError
from cameo_bench.records import ClipRecord

if TYPE_CHECKING:  # numpy stays out of the import of the CLI, which reads MAX_NEW_TOKENS
    import threading

    import numpy as np

    from cameo_bench.collection.reader import Clip, Collection

__all__ = [
    "Request", "GenerationConfig", "Backend", "BackendFactory", "Failed", "MAX_NEW_TOKENS",
    "check_temperature",
]

#: Default cap on generated tokens: the answer is one word; 16 leaves room for "The emotion is
#: happiness." without letting a rambling model slow the run.
MAX_NEW_TOKENS = 16


@dataclass(frozen=True)
class Request:
    """One clip to answer.

    ``audio`` is float32 mono at ``audio.TARGET_SR`` (16 kHz) and ``prompt`` the rendered
    instruction. ``record`` carries the clip's metadata for trained baselines that need speaker
    or corpus ids to build their cross-validation folds; zero-shot models must use nothing but
    ``audio`` and ``prompt`` (SPEC §2: no metadata is given to a system).
    """

    record: ClipRecord
    audio: np.ndarray
    prompt: str
    labels: tuple[str, ...]


def check_temperature(value: object) -> float:
    """``value`` as a float when it is a finite number >= 0 (0.0 is greedy); anything else (NaN,
    infinity, a negative number, not a number) raises :class:`CameoError` in one line. Every
    temperature a run uses passes here, so NaN never reaches a backend, a row or run.json."""
    try:
        t = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CameoError(f"temperature {value!r} is not a number") from None
    if not math.isfinite(t) or t < 0:
        raise CameoError(f"temperature must be a finite number >= 0, got {value!r}")
    return t


@dataclass(frozen=True)
class GenerationConfig:
    """Generation settings; temperature 0.0 is greedy, > 0 samples with ``seed``. A temperature
    that is not a finite number >= 0 is refused when built (:func:`check_temperature`)."""

    temperature: float = 0.0
    seed: int = 0
    max_new_tokens: int = MAX_NEW_TOKENS

    def __post_init__(self) -> None:
        object.__setattr__(self, "temperature", check_temperature(self.temperature))


class Backend(ABC):  # noqa: B024
    """A model that turns requests into raw text answers.

    ``model_id`` and ``revision`` go into every prediction and the cache key. A backend with
    ``whole_collection = True`` (a cross-validated baseline) answers all clips of a run in one
    :meth:`answer_collection` call and shows its own progress; others receive batches of
    decoded requests through :meth:`generate`.
    """

    whole_collection: ClassVar[bool] = False
    #: False for a backend that never reads ``Request.audio`` (it answers from the prompt and
    #: the record alone): the runner then decodes no audio for it and hands it empty arrays.
    needs_audio: ClassVar[bool] = True
    #: Options that cannot change an answer (concurrency, retries, device placement): left out
    #: of the cache key, so changing them on resume reuses the answers already made.
    runtime_options: ClassVar[frozenset[str]] = frozenset()
    model_id: str
    revision: str | None = None
    #: One-line remarks for the user once :meth:`generate` returned (e.g. the fallbacks a
    #: trained baseline took); the run result carries them and the CLI prints them.
    notes: Sequence[str] = ()
    #: The decoding the backend really applies beyond temperature, seed and token cap (the
    #: checkpoint's top_k/top_p/repetition penalty, the per-clip seed scheme), JSON-ready. It
    #: goes into run.json and the cache key: a folder answered with other settings is refused.
    #: Empty for a backend whose answers depend on nothing of the kind.
    effective_settings: Mapping[str, Any] = MappingProxyType({})

    @abstractmethod
    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """Return one raw answer per request, in order (an empty string for no answer)."""

    def answer_collection(self, collection: Collection, clips: Sequence[Clip],
                          stop: threading.Event | None = None) -> list[str] | None:
        """Whole-collection backends only: one answer per clip of ``clips`` (every clip of the
        run, before sharding), in order; None when ``stop`` was set first (it is polled at
        least every second or so). The backend reads what it needs of ``collection`` itself,
        clip by clip (one that needs no audio reads none), so memory does not grow with the
        collection. Its answers depend on ``clips`` as a set and on its settings only, never on
        which of them a run still has to write: a resumed or sharded run writes its part of the
        same answers. They do not depend on the generation settings either."""
        raise NotImplementedError(f"{type(self).__name__} answers batches of requests "
                                  "(generate), not whole collections")

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release resources (GPU memory, connections). Safe to call twice."""


class Failed(str):
    """An answer that could not be had (e.g. an API error after its retries): the empty string,
    carrying ``error``. A backend returns it in place of one clip's answer; the runner records the
    clip as failed (``Prediction.error``) instead of dropping it."""

    error: str

    def __new__(cls, error: str) -> Failed:
        obj = super().__new__(cls, "")
        obj.error = error
        return obj


#: What ``BACKENDS`` maps a name to: ``create(model, **options) -> Backend``. Its keyword
#: parameters, annotated, are the backend's options; a default for ``model`` makes the backend
#: stand alone (see :mod:`cameo_bench.backends.factory`).
BackendFactory = Callable[..., Backend]
