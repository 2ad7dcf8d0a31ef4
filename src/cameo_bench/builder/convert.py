"""Step 2 of the build: convert every clip's audio to the collection format (in a process
pool), cached per chunk.

Clips of a corpus are cut, in origin order, into chunks of :data:`CHUNK_SIZE`. A worker process
normalizes one chunk and writes its results atomically to ``<work>/<split>/<index>-<key>.parquet``
(the audio never travels between processes; a killed build resumes where it stopped). The key
hashes what the chunk's results depend on (the clips' sources, their sizes and modification
times, the audio pipeline version), so a changed original is converted again.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cameo_bench.audio import AudioDecodeError, convert, encode_flac
from cameo_bench.fileio import atomic_write
from cameo_bench.records import SourceClip

__all__ = [
    "CHUNK_SIZE", "Converted", "Chunk", "CorruptChunkError", "convert_clip", "convert_chunk",
    "plan_chunks", "converted",
]

CHUNK_SIZE = 16
#: ``progress(total_clips)`` → context manager yielding ``advance(split, n_clips)``.
ProgressFactory = Callable[[int], AbstractContextManager[Callable[[str, int], None]]]
#: Bump when the normalization changes (invalidates cached chunks).
PIPELINE_VERSION = "2"


@dataclass(frozen=True)
class Converted:
    """The outcome of normalizing one clip: its FLAC and sizes, or the reason it is invalid."""

    origin: str
    file_id: str | None
    flac: bytes | None
    frames: int  # samples at 16 kHz
    source_rate: int
    source_frames: int
    silent: bool
    error: str | None


_SCHEMA = pa.schema([
    ("origin", pa.string()), ("file_id", pa.string()), ("flac", pa.binary()),
    ("frames", pa.int64()), ("source_rate", pa.int64()), ("source_frames", pa.int64()),
    ("silent", pa.bool_()), ("error", pa.string()),
])


class CorruptChunkError(Exception):
    """A chunk's cache file is damaged or belongs to other clips (it is converted again)."""


@dataclass(frozen=True)
class Chunk:
    """A slice of one corpus's clips and the cache file that holds (or will hold) its results;
    ``max_seconds`` is the corpus's longest plausible clip."""

    split: str
    clips: tuple[SourceClip, ...]
    path: Path
    max_seconds: float | None = None

    def load(self, with_flac: bool = False) -> list[Converted]:
        """The cached results, in clip order; FLAC bytes only if ``with_flac``. Raises
        :class:`CorruptChunkError` if the file is unreadable or not this chunk's."""
        columns = [f.name for f in fields(Converted) if with_flac or f.name != "flac"]
        try:
            rows = pq.ParquetFile(self.path).read(columns=columns).to_pylist()
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise CorruptChunkError(f"{self.path}: {exc}") from exc
        if [r["origin"] for r in rows] != [c.origin for c in self.clips]:
            raise CorruptChunkError(f"{self.path}: holds other clips")
        return [Converted(**{"flac": None, **r}) for r in rows]


def convert_clip(clip: SourceClip, max_seconds: float | None = None) -> Converted:
    """Normalize one clip to 16 kHz mono 16-bit FLAC; an invalid source (see
    :func:`cameo_bench.audio.decode_mono`; ``max_seconds`` is its corpus's longest plausible
    clip) gives ``error`` set (never raises for bad audio)."""
    try:
        audio = convert(clip.source, max_seconds)
    except AudioDecodeError as exc:
        return Converted(clip.origin, None, None, 0, 0, 0, False, exc.problem)
    return Converted(
        clip.origin, audio.file_id, encode_flac(audio.pcm), len(audio.pcm),
        audio.source_rate, audio.source_frames, not audio.pcm.any(), None,
    )


def _chunk_key(clips: Sequence[SourceClip], max_seconds: float | None) -> str:
    h = hashlib.sha256(f"{PIPELINE_VERSION}\0{max_seconds}\n".encode())
    for c in clips:
        try:
            st = c.source.path.stat()
            stamp = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        h.update(f"{c.origin}\0{c.source.describe()}\0{stamp}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:16]


def plan_chunks(split: str, clips: Sequence[SourceClip], work: Path,
                max_seconds: float | None = None) -> list[Chunk]:
    """Cut ``clips`` (in order) into chunks whose cache files live under ``work/split``;
    clips longer than ``max_seconds`` are invalid."""
    chunks = []
    for i in range(0, len(clips), CHUNK_SIZE):
        part = tuple(clips[i : i + CHUNK_SIZE])
        name = f"{i // CHUNK_SIZE:05d}-{_chunk_key(part, max_seconds)}.parquet"
        chunks.append(Chunk(split, part, work / split / name, max_seconds))
    return chunks


def _write_chunk(chunk: Chunk, results: list[Converted]) -> None:
    columns = [pa.array([getattr(r, f.name) for r in results], type=f.type) for f in _SCHEMA]
    table = pa.Table.from_arrays(columns, schema=_SCHEMA)
    atomic_write(chunk.path, lambda tmp: pq.write_table(table, tmp, compression="none"))


def convert_chunk(chunk: Chunk) -> None:
    """Normalize the clips of ``chunk`` and write its cache file (in a worker process: the
    audio never travels back)."""
    _write_chunk(chunk, [convert_clip(c, chunk.max_seconds) for c in chunk.clips])


def converted(
    chunks: Sequence[Chunk], jobs: int, progress: ProgressFactory
) -> Iterator[tuple[Chunk, list[Converted]]]:
    """Yield every chunk with its results (FLAC bytes included), in order.

    Chunks without a cache file are converted ``jobs`` at a time by worker processes that write
    the cache files themselves, running ahead while the caller consumes earlier chunks; a cache
    file left by an earlier run that turns out damaged is converted again here.
    ``progress(total)`` is a context manager giving ``advance(split, n)``; it is entered after
    the workers are started, so no display thread exists when they fork.
    """
    pending = [s for s in chunks if not s.path.is_file()]
    pool = None
    if jobs > 1 and len(pending) > 1:
        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        pool = ctx.Pool(min(jobs, len(pending)))
    try:
        with progress(sum(len(s.clips) for s in chunks)) as advance:
            done = pool.imap(convert_chunk, pending) if pool else map(convert_chunk, pending)
            todo = {s.path for s in pending}
            for chunk in chunks:
                if chunk.path in todo:
                    next(done)  # results come in order: this is the chunk's
                advance(chunk.split, len(chunk.clips))
                try:
                    results = chunk.load(with_flac=True)
                except CorruptChunkError:
                    convert_chunk(chunk)
                    results = chunk.load(with_flac=True)
                yield chunk, results
    finally:
        if pool:
            pool.terminate()
            pool.join()
