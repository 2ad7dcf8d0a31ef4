"""The interface every model backend implements (one module per backend, see the registry)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from cameo_bench.records import ClipRecord

if TYPE_CHECKING:  # numpy stays out of the import of the CLI, which reads MAX_NEW_TOKENS
    import numpy as np

__all__ = ["Request", "GenerationConfig", "Backend", "BackendFactory", "Failed", "MAX_NEW_TOKENS"]

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


@dataclass(frozen=True)
class GenerationConfig:
    """Generation settings; temperature 0.0 is greedy, > 0 samples with ``seed``."""

    temperature: float = 0.0
    seed: int = 0
    max_new_tokens: int = MAX_NEW_TOKENS


class Backend(ABC):  # noqa: B024
    """A model that turns requests into raw text answers.

    ``model_id`` and ``revision`` go into every prediction and the cache key. A backend with
    ``whole_collection = True`` (a cross-validated baseline) receives all requests of a run in
    one :meth:`generate` call and shows its own progress; others receive batches.
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

    @abstractmethod
    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """Return one raw answer per request, in order (an empty string for no answer)."""

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
