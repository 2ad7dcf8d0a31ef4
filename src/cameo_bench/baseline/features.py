"""eGeMAPSv02 functionals (openSMILE, 88 per clip), cached per ``file_id`` and extracted in
parallel processes.

Cache: one ``.npy`` (float64, shape (88,)) per clip at
``<user cache>/features/egemaps-v02-opensmile-<version>/<file_id[:2]>/<file_id>.npy``, so a
second run over the same clips reads instead of extracting. A clip too short for openSMILE's
analysis windows gets an all-NaN row (also cached); the classifier imputes it (see
``cameo_bench.baseline.models``).
"""

from __future__ import annotations

import functools
import multiprocessing
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import numpy as np

from cameo_bench.audio import TARGET_SR
from cameo_bench.errors import MissingDependencyError
from cameo_bench.fileio import atomic_write

__all__ = ["N_FEATURES", "opensmile_version", "feature_cache_dir", "extract_egemaps"]

N_FEATURES = 88
_CHUNK = 16
#: Below this many clips to extract, worker start-up costs more than it saves.
_MIN_PARALLEL = 48


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


def _cache_path(cache_dir: Path, file_id: str) -> Path:
    return cache_dir / file_id[:2] / f"{file_id.removesuffix('.flac')}.npy"


@functools.lru_cache(maxsize=1)
def _smile():
    """One openSMILE extractor per process (building one costs ~0.2 s)."""
    opensmile = _opensmile()
    return opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                           feature_level=opensmile.FeatureLevel.Functionals)


def _extract_chunk(chunk: list[np.ndarray]) -> np.ndarray:
    """Features of a few clips (runs in a worker process or in-process)."""
    smile = _smile()
    out = np.full((len(chunk), N_FEATURES), np.nan)
    with warnings.catch_warnings():  # "Segment too short": reported by the caller as NaN rows
        warnings.simplefilter("ignore", UserWarning)
        for i, x in enumerate(chunk):
            if len(x):
                out[i] = smile.process_signal(x, TARGET_SR).to_numpy(dtype=np.float64)[0]
    return out


def _save(path: Path, row: np.ndarray) -> None:
    def write(tmp):
        with open(tmp, "wb") as f:
            np.save(f, row)

    atomic_write(path, write)


def extract_egemaps(
    items: Sequence[tuple[str, np.ndarray]],
    *,
    cache_dir: str | Path | None = None,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Return an ``(len(items), 88)`` float64 matrix of eGeMAPSv02 functionals for
    ``(file_id, 16 kHz float32 audio)`` items, in order; rows of clips too short are NaN.

    Cached rows are read, missing ones extracted by ``workers`` processes (default 2; 1 = in
    this process) and cached. ``on_progress(done, total)`` reports progress in clips. Without
    openSMILE, :class:`MissingDependencyError` is raised here before any worker starts.
    """
    cache = Path(cache_dir) if cache_dir is not None else feature_cache_dir()
    out = np.full((len(items), N_FEATURES), np.nan)
    todo: list[int] = []
    for i, (file_id, _) in enumerate(items):
        path = _cache_path(cache, file_id)
        if path.is_file():
            out[i] = np.load(path)
        else:
            todo.append(i)
    done, total = len(items) - len(todo), len(items)
    if on_progress:
        on_progress(done, total)
    if todo:  # in this process, before any worker starts: a missing extra is one clear error
        _opensmile()
    chunks = [todo[k : k + _CHUNK] for k in range(0, len(todo), _CHUNK)]

    def store(idx: list[int], rows: np.ndarray) -> None:
        nonlocal done
        for i, row in zip(idx, rows, strict=True):
            out[i] = row
            _save(_cache_path(cache, items[i][0]), row)
        done += len(idx)
        if on_progress:
            on_progress(done, total)

    n_workers = 2 if workers is None else max(1, workers)
    if n_workers == 1 or len(todo) < _MIN_PARALLEL:
        for idx in chunks:
            store(idx, _extract_chunk([items[i][1] for i in idx]))
        return out
    # spawn: safe whatever threads the caller runs; at most 2 chunks per worker in flight so
    # that a whole collection's audio is never copied to the workers at once.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(n_workers, mp_context=ctx) as pool:
        pending: dict = {}
        queue = iter(chunks)
        for idx in queue:
            pending[pool.submit(_extract_chunk, [items[i][1] for i in idx])] = idx
            if len(pending) >= 2 * n_workers:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    store(pending.pop(fut), fut.result())
        for fut in list(pending):
            store(pending.pop(fut), fut.result())
    return out
