"""eGeMAPSv02 functionals (openSMILE, 88 per clip): streamed from a collection by worker
processes that read and decode the clips themselves, cached per clip.

Cache: one ``.npy`` (float64, shape (88,)) per clip at
``<user cache>/features/egemaps-v02-opensmile-<version>/<digest[:2]>/<digest>.npy``, where
``<digest>`` is the sha256 of the 16-bit samples openSMILE reads (for a built collection, the
clip's ``file_id`` without ``.flac``). Only digests computed from the audio name files: a
``file_id`` is used to look a clip up only when it is such a digest, never as a path. A row is
written only when complete and finite (atomically), and checked when read: anything else is
extracted again. A clip too short for openSMILE's analysis windows gets an all-NaN row (never
cached); the classifier imputes it (see ``cameo_bench.baseline.models``).
"""

from __future__ import annotations

import functools
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from cameo_bench.audio import TARGET_SR, pcm_file_id
from cameo_bench.baseline.pool import process_map
from cameo_bench.collection.format import ROW_GROUP
from cameo_bench.collection.reader import Clip, Collection
from cameo_bench.errors import MissingDependencyError
from cameo_bench.fileio import atomic_write

__all__ = ["N_FEATURES", "opensmile_version", "feature_cache_dir", "egemaps_rows",
           "collection_features"]

N_FEATURES = 88
#: Clips per task handed to a worker: about a second of openSMILE, so a stop or the parent's
#: death is noticed within about that.
_CHUNK = 16
#: Below this many clips to extract, worker start-up costs more than it saves.
_MIN_PARALLEL = 48
_DIGEST_ID = re.compile(r"[0-9a-f]{64}\.flac")


def _opensmile():
    try:
        import opensmile
    except ImportError as exc:
        raise MissingDependencyError("opensmile", "baseline", "eGeMAPS features") from exc
    return opensmile


def opensmile_version() -> str:
    """The installed openSMILE version (raises MissingDependencyError without the extra)."""
    return _opensmile().__version__


def feature_cache_dir() -> Path:
    """The default feature cache folder (see the module docstring)."""
    from cameo_bench.paths import user_cache_dir

    return user_cache_dir() / "features" / f"egemaps-v02-opensmile-{opensmile_version()}"


def _row_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / digest[:2] / f"{digest}.npy"


def _digest_of_id(file_id: str) -> str | None:
    """The audio digest a built collection's ``file_id`` is, or None for any other id."""
    return file_id[:64] if _DIGEST_ID.fullmatch(file_id) else None


def _pcm_digest(x: np.ndarray) -> str:
    """sha256 of the 16-bit samples openSMILE makes of ``x`` (it scales by 32768 and truncates):
    for a 16-bit clip, the digest its ``file_id`` holds (:func:`~cameo_bench.audio.pcm_file_id`
    of the same samples)."""
    return pcm_file_id((x * 32768).astype("<i2")).removesuffix(".flac")


def _read_row(path: Path) -> np.ndarray | None:
    """A cached row, or None when absent or not a complete finite row of 88 float64."""
    try:
        row = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if row.shape != (N_FEATURES,) or row.dtype != np.float64 or not np.isfinite(row).all():
        return None
    return row


def _save_row(path: Path, row: np.ndarray) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            np.save(f, row)

    atomic_write(path, write)


@functools.lru_cache(maxsize=1)
def _smile():
    """One openSMILE extractor per process (building one costs ~0.2 s)."""
    opensmile = _opensmile()
    return opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                           feature_level=opensmile.FeatureLevel.Functionals)


def egemaps_rows(audios: Iterable[np.ndarray]) -> np.ndarray:
    """eGeMAPSv02 functionals of 16 kHz float32 clips, in this process: a ``(n, 88)`` float64
    matrix, all-NaN rows for clips too short for openSMILE's windows."""
    smile = _smile()
    rows = []
    with warnings.catch_warnings():  # "Segment too short": reported by the caller as NaN rows
        warnings.simplefilter("ignore", UserWarning)
        for x in audios:
            rows.append(smile(x, TARGET_SR)[0, :, 0].astype(np.float64) if len(x)
                        else np.full(N_FEATURES, np.nan))
    return np.array(rows, dtype=np.float64).reshape(len(rows), N_FEATURES)


def _extract_task(task: tuple[Collection, Path, list[Clip]]) -> list[tuple[str, np.ndarray, bool]]:
    """Read, decode and describe a few clips (in a worker, or in-process): per clip its audio
    digest, its row, and whether the row is new (not read from the cache)."""
    collection, cache_dir, clips = task
    out = []
    for _, x in collection.audio(clips):
        digest = _pcm_digest(x)
        row = _read_row(_row_path(cache_dir, digest))
        fresh = row is None
        out.append((digest, egemaps_rows([x])[0] if fresh else row, fresh))
    return out


def _tasks(clips: Sequence[Clip], todo: list[int]) -> Iterator[list[int]]:
    """``todo`` (positions in ``clips``) in collection order, cut at parquet row groups into
    tasks of at most :data:`_CHUNK` clips (a worker reads each row group once or twice)."""
    order = sorted(todo, key=lambda i: (clips[i].split, clips[i].row))
    task: list[int] = []
    for i in order:
        if task and (len(task) == _CHUNK or (clips[i].split, clips[i].row // ROW_GROUP)
                     != (clips[task[0]].split, clips[task[0]].row // ROW_GROUP)):
            yield task
            task = []
        task.append(i)
    if task:
        yield task


def collection_features(
    collection: Collection,
    clips: Sequence[Clip],
    *,
    cache_dir: str | Path | None = None,
    workers: int | None = None,
    stop: threading.Event | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> np.ndarray | None:
    """Return the ``(len(clips), 88)`` float64 eGeMAPSv02 matrix of ``clips`` of ``collection``,
    in order (all-NaN rows for clips too short), or None when ``stop`` was set before the end.

    Cached rows are read; the other clips are read, decoded and extracted by ``workers``
    processes (default 2; 1 = in this process), which get clip positions, never audio, and
    their rows cached as they arrive (what was extracted before a stop is kept).
    ``on_progress(done, total)`` reports progress in clips. Without openSMILE,
    :class:`MissingDependencyError` is raised here before any worker starts.
    """
    cache = Path(cache_dir) if cache_dir is not None else feature_cache_dir()
    out = np.full((len(clips), N_FEATURES), np.nan)
    todo: list[int] = []
    for i, clip in enumerate(clips):
        digest = _digest_of_id(clip.record.file_id)
        row = None if digest is None else _read_row(_row_path(cache, digest))
        if row is None:
            todo.append(i)
        else:
            out[i] = row
    done, total = len(clips) - len(todo), len(clips)
    if on_progress:
        on_progress(done, total)
    if not todo:
        return out
    _opensmile()  # in this process, before any worker starts: a missing extra is one clear error
    positions = list(_tasks(clips, todo))
    tasks = [(collection, cache, [clips[i] for i in idx]) for idx in positions]
    n_workers = 2 if workers is None else max(1, workers)
    if n_workers == 1 or len(todo) < _MIN_PARALLEL:
        results: Iterable[tuple[int, list]] = _in_process(tasks, stop)
    else:
        results = process_map(_extract_task, tasks, n_workers, stop)
    for k, rows in results:
        for i, (digest, row, fresh) in zip(positions[k], rows, strict=True):
            out[i] = row
            if fresh and np.isfinite(row).all():
                _save_row(_row_path(cache, digest), row)
        done += len(rows)
        if on_progress:
            on_progress(done, total)
    return None if done < total else out


def _in_process(tasks: list, stop: threading.Event | None) -> Iterator[tuple[int, list]]:
    """:func:`_extract_task` over ``tasks`` here, stopping between two tasks once ``stop`` is
    set."""
    for k, task in enumerate(tasks):
        if stop is not None and stop.is_set():
            return
        yield k, _extract_task(task)
