"""The local executor (the default): one worker, this process.

The next unit is read and decoded in other threads while the model answers the current one
(:data:`DECODE_THREADS` of them: the FLAC decoder releases the GIL, so other cores decode); at
most two units of audio are held at a time, whatever the collection's size. Answers reach the
file at the end of each unit and at least every :data:`FLUSH_SECONDS` within one, so a kill
loses at most that much of a slow model's work.
"""

from __future__ import annotations

import functools
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from cameo_bench.backends.base import Backend
from cameo_bench.errors import CameoError
from cameo_bench.evaluation.executors.base import (
    BackendInfo,
    BackendLoader,
    Executor,
    batch_size_for,
)
from cameo_bench.evaluation.loop import LoopState, UnitAnswerer, UnitResult
from cameo_bench.evaluation.units import UnitWork
from cameo_bench.prompts import PromptTemplate

__all__ = ["FLUSH_SECONDS", "LocalExecutor", "create", "ahead"]

#: Threads decoding the next unit's clips.
DECODE_THREADS = min(4, os.cpu_count() or 1)
#: Longest time answers wait in memory before they are handed to the writer (and fsynced).
FLUSH_SECONDS = 0.5

T = TypeVar("T")
R = TypeVar("R")
_DONE = object()


def ahead(items: Iterable[T], work: Callable[[T], R]) -> Iterator[R]:
    """``map(work, items)`` computed one item ahead in a thread: the next result is being made
    while the caller uses the current one, and at most two results exist at a time. An
    exception in ``work`` is raised to the caller at that item; closing the iterator early
    stops the thread."""
    slots = threading.Semaphore(2)  # results alive: the caller's and the one being made
    out: queue.Queue = queue.Queue()
    closed = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not slots.acquire(timeout=0.1):
                    if closed.is_set():
                        return
                if closed.is_set():
                    return
                out.put((True, work(item)))
            out.put((True, _DONE))
        except BaseException as exc:  # noqa: BLE001 (handed to the caller)
            out.put((False, exc))

    thread = threading.Thread(target=produce, name="cameo-decode-ahead", daemon=True)
    thread.start()
    try:
        while True:
            ok, value = out.get()
            if not ok:
                raise value
            if value is _DONE:
                return
            yield value
            slots.release()  # the caller is done with this result
    finally:
        closed.set()
        thread.join()


def _in_slices(pool: ThreadPoolExecutor) -> Callable[[Callable[[T], R], Iterable[T]], list[R]]:
    """A ``map`` over ``pool`` that hands each thread one slice of the items (one task per
    thread, not per item: a task costs about as much as decoding a short clip)."""

    def map_(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
        items = list(items)
        size = -(-len(items) // DECODE_THREADS) or 1
        slices = [items[i:i + size] for i in range(0, len(items), size)]
        return [y for part in pool.map(lambda xs: [work(x) for x in xs], slices) for y in part]

    return map_


class LocalExecutor(Executor):
    """Answers every unit in this process with one backend."""

    name = "local"

    def __init__(self) -> None:
        self.backend: Backend | None = None
        self.answerer: UnitAnswerer | None = None
        self.batch_size = 1

    def open(self, loader: BackendLoader, prompt: PromptTemplate,
             batch_size: int | None) -> BackendInfo:
        """Load the backend here."""
        self.backend = loader()
        info = BackendInfo.of(self.backend)
        self.answerer = UnitAnswerer(self.backend, prompt)
        self.batch_size = batch_size_for(batch_size, info)
        return info

    def answer(self, works: Iterator[UnitWork], state: LoopState) -> Iterator[UnitResult]:
        """Answer the units in order, decoding the next while the model answers one."""
        assert self.answerer is not None, "open() first"
        with ThreadPoolExecutor(DECODE_THREADS, thread_name_prefix="cameo-decode") as pool:
            prepare = functools.partial(self.answerer.prepare, map_=_in_slices(pool))
            for prepared in ahead(works, prepare):
                yield from self.answerer.answer(prepared, state, FLUSH_SECONDS)
                if state.stop.is_set():
                    return

    def driver_backend(self) -> Backend:
        """The backend this executor loaded."""
        assert self.backend is not None, "open() first"
        return self.backend

    def facts(self) -> dict[str, Any]:
        """One worker: this process (its hardware is the session's)."""
        return {"name": self.name, "workers": 1}

    def notes(self) -> tuple[str, ...]:
        """The backend's remarks."""
        return tuple(self.backend.notes) if self.backend is not None else ()

    def close(self) -> None:
        """Close the backend."""
        if self.backend is not None:
            self.backend.close()
            self.backend = None


def create(workers: int | None = None) -> LocalExecutor:
    """The local executor; it has one worker."""
    if workers not in (None, 1):
        raise CameoError(f"the local executor runs one worker, not {workers}: "
                         "--workers needs --executor ray")
    return LocalExecutor()
