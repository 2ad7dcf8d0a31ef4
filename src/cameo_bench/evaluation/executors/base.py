"""The executors' interface: where a run's work units are answered.

An :class:`Executor` starts its workers (each loads the backend once, from a picklable
:class:`BackendLoader`), answers the work units it is handed and yields each finished unit's
rows back to the one writer, the driver (see :mod:`~cameo_bench.evaluation.writer`). It never
writes a file. A new executor is one module with a ``create(workers, *, option=default, ...)``
factory registered in :data:`~cameo_bench.evaluation.executors.EXECUTORS`; its keyword options
are taken from ``-O KEY=VALUE`` like a backend's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from cameo_bench.backends.base import Backend, BackendFactory
from cameo_bench.evaluation.units import UnitWork

if TYPE_CHECKING:
    from cameo_bench.evaluation.loop import LoopState, UnitResult
    from cameo_bench.prompts import PromptTemplate

__all__ = ["BackendInfo", "BackendLoader", "Executor", "DEFAULT_BATCH_SIZE", "batch_size_for"]

#: Clips per generate call for a backend that states no ``preferred_batch_size``.
DEFAULT_BATCH_SIZE = 8


@dataclass(frozen=True)
class BackendLoader:
    """How to create a run's backend in any process (this one, a Ray worker): the registry's
    factory, the model and the options already checked against it. Picklable."""

    factory: BackendFactory
    model: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def __call__(self) -> Backend:
        """A new backend (loads the model)."""
        return self.factory(self.model, **self.options)


@dataclass(frozen=True)
class BackendInfo:
    """What the driver needs to know of a backend that may live in another process: the
    attributes the run's settings and batching read (named as on :class:`Backend`)."""

    model_id: str
    revision: str | None
    runtime_options: frozenset[str]
    whole_collection: bool
    preferred_batch_size: int | None
    effective_settings: Mapping[str, Any]
    #: What an hf backend's model family sends to its model, in words (None elsewhere).
    family_facts: Mapping[str, str] | None = None

    @classmethod
    def of(cls, backend: Backend) -> BackendInfo:
        """The facts of a loaded ``backend``."""
        facts = getattr(getattr(backend, "family", None), "facts", None)
        return cls(backend.model_id, backend.revision, frozenset(backend.runtime_options),
                   backend.whole_collection, getattr(backend, "preferred_batch_size", None),
                   dict(backend.effective_settings),
                   facts.as_dict() if facts is not None else None)


def batch_size_for(asked: int | None, info: BackendInfo) -> int:
    """Clips per generate call: the size asked for, else the backend's preferred size (vLLM
    schedules its own batches and wants hundreds), else :data:`DEFAULT_BATCH_SIZE`."""
    return asked or info.preferred_batch_size or DEFAULT_BATCH_SIZE


class Executor(ABC):
    """Answers work units with workers that each load the backend once.

    Use: :meth:`open` (start the workers, learn the backend), :meth:`answer` (as often as
    needed), :meth:`close` (always). :meth:`facts` describes where the run ran, for the run
    manifest (never for the cache key: the same answers come out whatever the executor).
    """

    #: The name ``--executor`` selects it by.
    name: ClassVar[str]

    @abstractmethod
    def open(self, loader: BackendLoader, prompt: PromptTemplate,
             batch_size: int | None) -> BackendInfo:
        """Start the workers (each creates its backend with ``loader``, prompts with ``prompt``
        and answers ``batch_size`` clips per generate call, None: :func:`batch_size_for`);
        return the backend's facts."""

    @abstractmethod
    def answer(self, works: Iterator[UnitWork], state: LoopState) -> Iterator[UnitResult]:
        """Answer the units of ``works`` (read lazily), yielding each finished unit (in any
        order) and counting its rows in ``state``; hand out no new unit once ``state.stop``
        is set."""

    @abstractmethod
    def driver_backend(self) -> Backend:
        """The backend in this process, for a whole-collection backend (which answers every
        clip in one call, so it runs in the driver): loaded here if the workers are elsewhere."""

    @abstractmethod
    def facts(self) -> dict[str, Any]:
        """Where the run ran: the executor, its workers, their nodes and accelerators."""

    def notes(self) -> tuple[str, ...]:
        """The backend's one-line remarks gathered from the workers (e.g. a baseline's
        fallbacks)."""
        return ()

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Stop the workers and release their backends. Safe to call twice."""
