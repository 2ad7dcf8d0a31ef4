"""The loop over clips, apart from where it runs: decode → prompt → batch → generate → rows.

:class:`UnitAnswerer` is what every executor's worker (this process, a Ray actor) runs on the
work units it is handed (see :mod:`~cameo_bench.evaluation.units`): it turns a unit's FLAC bytes
into the unit's predictions lines and knows nothing of files, shards or manifests. A
whole-collection backend (a cross-validated baseline) runs through :func:`answer_clips` instead,
in the driver.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np

from cameo_bench.audio import TARGET_SR, flac_frames
from cameo_bench.backends.base import Backend, Failed, GenerationConfig, Request
from cameo_bench.collection.reader import Clip, Collection, decode_clip
from cameo_bench.errors import CameoError
from cameo_bench.evaluation.units import ClipAudio, Unit, UnitWork
from cameo_bench.parse import parse_answer
from cameo_bench.predictions import append_predictions, to_lines
from cameo_bench.prompts import PromptTemplate, offered_labels
from cameo_bench.records import UNPARSED, Prediction

__all__ = [
    "LoopState", "Throughput", "Todo", "UnitResult", "UnitAnswerer", "stop_on_interrupt",
    "requests_by_duration", "generate_halving", "to_predictions", "answer_clips",
]

#: What is left to answer: each pass's generation settings (one per temperature) → the file_ids
#: of the clips that pass has not answered yet.
Todo = Mapping[GenerationConfig, set[str]]


@dataclass
class Throughput:
    """Clips and audio seconds answered, and the wall time they took, after the first batch."""

    clips: int = 0
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    warm_since: float | None = None

    def add(self, n_clips: int, audio_seconds: float) -> None:
        """Count a finished batch; the first batch only starts the clock (warm-up)."""
        t = time.perf_counter()
        if self.warm_since is None:
            self.warm_since = t
            return
        self.clips += n_clips
        self.audio_seconds += audio_seconds
        self.wall_seconds = t - self.warm_since

    @property
    def clips_per_second(self) -> float | None:
        """Clips answered per wall second after warm-up (None before a second batch)."""
        return self.clips / self.wall_seconds if self.wall_seconds > 0 else None

    @property
    def real_time_factor(self) -> float | None:
        """Wall seconds per second of audio after warm-up (< 1 is faster than real time)."""
        return self.wall_seconds / self.audio_seconds if self.audio_seconds > 0 else None

    def to_dict(self) -> dict[str, float | None]:
        """The counts and rates, for the run manifest."""
        return {"clips": self.clips, "audio_seconds": round(self.audio_seconds, 3),
                "wall_seconds": round(self.wall_seconds, 6),
                "clips_per_second": self.clips_per_second,
                "real_time_factor": self.real_time_factor}


@dataclass
class LoopState:
    """What a call of :func:`answer_clips` did; ``stop`` is set to end after the current batch."""

    done: int = 0
    failed: int = 0
    batch_size: int = 1
    stop: threading.Event = field(default_factory=threading.Event)
    throughput: Throughput = field(default_factory=Throughput)
    on_batch: Callable[[int], None] | None = None

    def count(self, rows: int, failed: int, audio_seconds: float | None) -> None:
        """Count answered rows (``failed`` of them failed) of ``audio_seconds`` of audio in
        the totals, the throughput and the progress display; rows not generated just now
        (``audio_seconds`` None: a whole-collection backend's) stay out of the throughput."""
        self.done += rows
        self.failed += failed
        if audio_seconds is not None:
            self.throughput.add(rows, audio_seconds)
        if self.on_batch:
            self.on_batch(rows)


@contextmanager
def stop_on_interrupt(progress: LoopState) -> Iterator[None]:
    """While active, the first Ctrl-C sets ``progress.stop`` (the loop ends after its current
    batch); a second Ctrl-C interrupts at once. Outside the main thread this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        if progress.stop.is_set():
            raise KeyboardInterrupt
        progress.stop.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _windows(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def requests_by_duration(
    collection: Collection, clips: Sequence[Clip], prompt: PromptTemplate, window: int
) -> Iterator[list[Request]]:
    """Decode ``clips`` in windows of ``window`` and yield each window's requests, longest first
    (batches of similar length pad less; the longest batch comes first so memory fails early)."""
    for chunk in _windows(collection.audio(clips), window):
        requests = []
        for clip, audio in chunk:
            labels = offered_labels(clip.split)
            requests.append(Request(clip.record, audio, prompt.render(labels), labels))
        requests.sort(key=lambda r: (-len(r.audio), r.record.file_id))
        yield requests


def _is_out_of_memory(exc: BaseException) -> bool:
    torch = sys.modules.get("torch")
    return isinstance(exc, MemoryError) or (
        torch is not None and isinstance(exc, torch.cuda.OutOfMemoryError)
    )


def _free_accelerator_memory() -> None:
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        torch.cuda.empty_cache()


def _one_line(exc: BaseException) -> str:
    """``Type: first line of the message`` (at most 200 characters), for a failed row."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:200]}" if text else type(exc).__name__


def generate_halving(
    backend: Backend, requests: Sequence[Request], config: GenerationConfig, progress: LoopState
) -> list[str]:
    """``backend.generate`` that survives what one batch can throw.

    Out of memory: the batch is halved and each half retried; later batches keep the smaller
    size, and a single clip that still runs out of memory is failed. Any other exception (a
    processor that refuses a clip over 30 s, a malformed clip): each clip of the batch is
    retried alone, so only the clip that still fails becomes a :class:`Failed` answer with its
    one-line error (``--retry-failed`` answers it again) and the run goes on. Not retried: a
    :class:`CameoError` (a message for the user, e.g. a missing package: it stops the run) and
    anything from a whole-collection backend (its answers come from folds over all clips, so
    a clip alone is not the same question).
    """
    try:
        return backend.generate(requests, config)
    except Exception as exc:
        if not _is_out_of_memory(exc):
            if isinstance(exc, CameoError) or backend.whole_collection:
                raise
            if len(requests) == 1:
                return [Failed(_one_line(exc))]
            return [a for r in requests for a in generate_halving(backend, [r], config, progress)]
        _free_accelerator_memory()
        if len(requests) == 1:
            return [Failed(f"out of memory at batch size 1 ({type(exc).__name__})")]
        half = len(requests) // 2
        progress.batch_size = min(progress.batch_size, half)
        return generate_halving(backend, requests[:half], config, progress) + generate_halving(
            backend, requests[half:], config, progress
        )


def to_predictions(
    requests: Sequence[Request], answers: Sequence[str], backend: Backend,
    config: GenerationConfig, prompt: PromptTemplate,
) -> list[Prediction]:
    """One prediction row per answer: raw response kept, parsed (SPEC §2), failures recorded
    with their error and parsed as unparsed. A lone surrogate (a server can send one as a JSON
    escape; no UTF-8 file can hold it) becomes U+FFFD, the rest of the answer is kept as is."""
    out = []
    prompt_hash = prompt.hash
    for r, answer in zip(requests, answers, strict=True):
        error = getattr(answer, "error", None)
        error = None if error is None else _storable(error)
        response = "" if error is not None else _storable(str(answer))
        parsed = UNPARSED if error is not None else parse_answer(response, r.labels)
        out.append(Prediction(
            file_id=r.record.file_id, dataset=r.record.dataset, language=r.record.language,
            emotion=r.record.emotion, labels=list(r.labels), model=backend.model_id,
            model_revision=backend.revision, temperature=config.temperature,
            prompt_id=prompt.id, response=response, parsed=parsed, prompt_hash=prompt_hash,
            error=error,
        ))
    return out


def _storable(text: str) -> str:
    """``text`` with each lone surrogate (U+D800–U+DFFF) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def _record(
    requests: Sequence[Request], answers: Sequence[str], backend: Backend,
    config: GenerationConfig, prompt: PromptTemplate, path: Path, progress: LoopState,
) -> None:
    """Append rows of a whole-collection backend to ``path`` (flush + fsync) and count them in
    ``progress`` (not in its throughput: they were not generated one batch at a time)."""
    rows = to_predictions(requests, answers, backend, config, prompt)
    append_predictions(path, rows)
    progress.count(len(rows), sum(p.error is not None for p in rows), None)


#: The audio handed to a backend that needs none.
_NO_AUDIO = np.zeros(0, dtype=np.float32)


#: Rows a whole-collection pass appends (flush + fsync) at a time.
_WHOLE_COLLECTION_ROWS = 1024


def answer_clips(
    backend: Backend,
    collection: Collection,
    todo: Todo,
    clips: Sequence[Clip],
    *,
    prompt: PromptTemplate,
    path: Path,
    progress: LoopState,
    population: Sequence[Clip] | None = None,
) -> None:
    """A whole-collection backend (a cross-validated baseline) answers every clip of
    ``population`` (every clip of the run before sharding; default ``clips``) in one
    :meth:`~Backend.answer_collection` call (it reads the audio it needs from ``collection``
    itself), trained on all of them whatever part of them this run still lacks; then each pass
    of ``todo`` appends the rows of its clips, in population order, to ``path`` (flush + fsync
    every 1,024 rows). (Other backends answer work units through :class:`UnitAnswerer`.)

    Nothing is decoded here. Returns without writing when ``progress.stop`` is set during the
    backend's call, and after the current rows when set later.
    """
    if not any(todo.values()):
        return
    population = clips if population is None else population
    answers = backend.answer_collection(collection, population, progress.stop)
    if answers is None:
        return
    texts: dict[tuple[str, ...], str] = {}
    requests = []
    for clip in population:
        labels = offered_labels(clip.split)
        if labels not in texts:
            texts[labels] = prompt.render(labels)
        requests.append(Request(clip.record, _NO_AUDIO, texts[labels], labels))
    for config, ids in todo.items():
        mine = [(r, a) for r, a in zip(requests, answers, strict=True) if r.record.file_id in ids]
        for rows in _windows(mine, _WHOLE_COLLECTION_ROWS):
            batch, batch_answers = zip(*rows, strict=True)
            _record(batch, batch_answers, backend, config, prompt, path, progress)
            if progress.stop.is_set():
                return


@dataclass(frozen=True)
class UnitResult:
    """Answers of unit ``index`` (all of them, or the part answered since the last result):
    ``text`` holds the rows as predictions lines, ``rows`` the (pass, clip position) of each
    line in order; ``batch_size`` is the worker's batch size after any halving."""

    index: int
    text: str
    rows: tuple[tuple[int, int], ...]
    failed: int
    audio_seconds: float
    batch_size: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Prepared:
    """A unit ready for the model: its requests and their lengths in samples, by clip
    position (its FLAC bytes are let go once decoded)."""

    unit: Unit
    requests: dict[int, Request]
    frames: dict[int, int]


class UnitAnswerer:
    """One backend answering work units: decode → prompt → batches (longest clips first) →
    generate (halving on out-of-memory) → parse → predictions lines.

    :meth:`prepare` (decoding) and :meth:`answer` (the model) are separate so an executor can
    prepare the next unit while the model answers this one. The clips per generate call are the
    state's ``batch_size`` (shrunk for good by an out-of-memory): the batches of a unit depend
    only on the unit and the batch size, never on who answers it. A backend that does not
    need audio (``Backend.needs_audio``) gets none: nothing is decoded for it.
    """

    def __init__(self, backend: Backend, prompt: PromptTemplate):
        self.backend, self.prompt = backend, prompt
        self._rendered: dict[str, tuple[tuple[str, ...], str]] = {}

    def _labels_and_prompt(self, split: str) -> tuple[tuple[str, ...], str]:
        if split not in self._rendered:
            labels = offered_labels(split)
            self._rendered[split] = labels, self.prompt.render(labels)
        return self._rendered[split]

    def prepare(self, work: UnitWork, map_: Callable = map) -> _Prepared:
        """Decode the unit's clips (with ``map_``: a thread pool's ``map`` decodes them in
        parallel) and build their requests; damaged audio raises :class:`InputError` naming
        where the clip is stored."""
        positions = list(work.clips)
        stored = [work.clips[i] for i in positions]
        if self.backend.needs_audio:
            audio = list(map_(_decode, stored))
            frames = [len(x) for x in audio]
        else:
            frames = [flac_frames(c.flac) for c in stored]
            audio = [_NO_AUDIO] * len(stored)
        requests = {}
        for i, clip, x in zip(positions, stored, audio, strict=True):
            labels, text = self._labels_and_prompt(clip.split)
            requests[i] = Request(clip.record, x, text, labels)
        return _Prepared(work.unit, requests, dict(zip(positions, frames, strict=True)))

    def answer(self, prepared: _Prepared, state: LoopState,
               flush_every: float | None = None) -> Iterator[UnitResult]:
        """Answer a prepared unit at each of its passes, counting each batch in ``state``,
        and yield its rows: in one result at the end, or (``flush_every`` seconds) also each
        time that long has passed since the last result, so a slow model's answers reach the
        file while the unit goes on. Stops after the current batch when ``state.stop`` is
        set."""
        unit = prepared.unit
        piece = _Piece()
        for p, config, todo in unit.passes:
            pending = sorted(todo, key=lambda i: (-prepared.frames[i],
                                                  prepared.requests[i].record.file_id))
            while pending and not state.stop.is_set():
                positions, pending = pending[:state.batch_size], pending[state.batch_size:]
                batch = [prepared.requests[i] for i in positions]
                answers = generate_halving(self.backend, batch, config, state)
                predictions = to_predictions(batch, answers, self.backend, config, self.prompt)
                n_failed = sum(x.error is not None for x in predictions)
                audio_seconds = sum(prepared.frames[i] for i in positions) / TARGET_SR
                piece.add(to_lines(predictions), [(p, i) for i in positions], n_failed,
                          audio_seconds)
                state.count(len(batch), n_failed, audio_seconds)
                if flush_every is not None and piece.age() >= flush_every:
                    yield piece.result(unit.index, state.batch_size, self.backend.notes)
                    piece = _Piece()
        if piece.rows or flush_every is None:
            yield piece.result(unit.index, state.batch_size, self.backend.notes)


def _decode(clip: ClipAudio) -> np.ndarray:
    return decode_clip(clip.where, clip.record.file_id, clip.flac)


class _Piece:
    """Rows of a unit answered since the last result was handed out."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.rows: list[tuple[int, int]] = []
        self.failed, self.seconds = 0, 0.0
        self.since = time.monotonic()

    def add(self, text: str, rows: list[tuple[int, int]], failed: int, seconds: float) -> None:
        self.texts.append(text)
        self.rows += rows
        self.failed += failed
        self.seconds += seconds

    def age(self) -> float:
        return time.monotonic() - self.since

    def result(self, index: int, batch_size: int, notes: Sequence[str]) -> UnitResult:
        return UnitResult(index, "".join(self.texts), tuple(self.rows), self.failed,
                          self.seconds, batch_size, tuple(notes))
