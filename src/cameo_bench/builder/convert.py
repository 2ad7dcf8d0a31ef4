"""Step 2 of the build: convert every clip's audio to the collection format (in a process
pool), cached per chunk.

Clips of a corpus are cut, in origin order, into chunks of :data:`CHUNK_SIZE`. A worker process
normalizes one chunk and writes its results to ``<work>/<split>/<index>-<key>.chunk`` (renamed
into place when complete): a magic line, the length of a JSON header, the header (one object
of facts per clip, with the size of its FLAC), then the FLAC files back to back. The parent maps
that file into memory and hands the FLAC bytes to the split writer as an Arrow array over the
mapping, without copying them into Python objects; so the audio never travels through a pipe,
and a killed build resumes where it stopped. (Workers build no Arrow arrays: pyarrow imports
pandas, when installed, the first time it converts Python values.) The key hashes what the
chunk's results depend on (the clips' sources, their sizes and modification times, the
corpus's longest plausible clip, the audio pipeline version), so a changed original is
converted again.

Cache files are not fsynced: a chunk left by an earlier run is checked when it is reused (it
must open, hold this chunk's clips in order, and every FLAC must decode to the PCM its
``file_id`` hashes), and a damaged one is converted again; a power cut costs a reconversion,
never a wrong collection.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import soundfile as sf

from cameo_bench.audio import AudioDecodeError, convert, encode_flac, pcm_file_id
from cameo_bench.records import SourceClip

__all__ = [
    "CHUNK_SIZE", "Converted", "Chunk", "ChunkResults", "CorruptChunkError", "convert_clip",
    "convert_chunk", "plan_chunks", "converted",
]

CHUNK_SIZE = 32
#: ``progress(total_clips)`` → context manager yielding ``advance(split, n_clips)``.
ProgressFactory = Callable[[int], AbstractContextManager[Callable[[str, int], None]]]
#: Bump when the normalization or the cache format changes (invalidates cached chunks).
PIPELINE_VERSION = "3"
_MAGIC = b"cameo-bench chunk 1\n"
_FACTS = ("origin", "file_id", "frames", "source_rate", "source_frames", "silent", "error")


@dataclass(frozen=True)
class Converted:
    """The outcome of normalizing one clip: its FLAC and sizes, or the reason it is invalid
    (``flac`` is None in :class:`ChunkResults`, which hold the bytes in an Arrow array)."""

    origin: str
    file_id: str | None
    flac: bytes | None
    frames: int  # samples at 16 kHz
    source_rate: int
    source_frames: int
    silent: bool
    error: str | None



class CorruptChunkError(Exception):
    """A chunk's cache file is damaged or belongs to other clips (it is converted again)."""


@dataclass(frozen=True)
class ChunkResults:
    """A converted chunk: one :class:`Converted` per clip (``flac`` None) and the FLAC bytes of
    each in ``flac`` (an Arrow binary array, null where the clip is invalid)."""

    items: list[Converted]
    flac: pa.Array


@dataclass(frozen=True)
class Chunk:
    """A slice of one corpus's clips and the cache file that holds (or will hold) its results;
    ``max_seconds`` is the corpus's longest plausible clip."""

    split: str
    clips: tuple[SourceClip, ...]
    path: Path
    max_seconds: float | None = None

    def load(self, verify: bool = True) -> ChunkResults:
        """The cached results, in clip order, memory-mapped. Raises
        :class:`CorruptChunkError` if the file cannot be read, holds other clips, or (with
        ``verify``) a FLAC does not decode to the PCM its ``file_id`` hashes."""
        try:
            facts, flac = _read_chunk(self.path)
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
            raise CorruptChunkError(f"{self.path}: {exc}") from exc
        if [r["origin"] for r in facts] != [c.origin for c in self.clips]:
            raise CorruptChunkError(f"{self.path}: holds other clips")
        if verify:
            for fact, data in zip(facts, flac, strict=True):
                if not _intact(fact["file_id"], data):
                    raise CorruptChunkError(f"{self.path}: {fact['origin']} is damaged")
        return ChunkResults([Converted(flac=None, **{k: r[k] for k in _FACTS}) for r in facts],
                            flac)


def _read_chunk(path: Path) -> tuple[list[dict], pa.Array]:
    """The facts of a chunk file and its FLAC bytes as a binary array over the mapped file
    (null for an invalid clip). Raises ValueError if the file is not a complete chunk."""
    data = pa.memory_map(str(path)).read_buffer()
    start = len(_MAGIC) + 8
    if data.size < start or data.slice(0, len(_MAGIC)).to_pybytes() != _MAGIC:
        raise ValueError("not a chunk file")
    length = int.from_bytes(data.slice(len(_MAGIC), 8).to_pybytes(), "little")
    facts = json.loads(data.slice(start, length).to_pybytes())
    sizes = np.array([r["size"] for r in facts], dtype=np.int64)
    body = data.slice(start + length)
    if length > data.size - start or int(sizes.sum()) != body.size:
        raise ValueError("the file is cut short or too long")
    offsets = np.zeros(len(sizes) + 1, dtype=np.int32)
    np.cumsum(sizes, out=offsets[1:])
    valid = np.packbits([r["file_id"] is not None for r in facts], bitorder="little")
    flac = pa.Array.from_buffers(pa.binary(), len(facts),
                                 [pa.py_buffer(valid.tobytes()), pa.py_buffer(offsets), body])
    return facts, flac


def _intact(file_id: str | None, data: pa.Scalar) -> bool:
    """Whether cached FLAC ``data`` decodes to the PCM ``file_id`` hashes (both absent for an
    invalid clip)."""
    if file_id is None or not data.is_valid:
        return file_id is None and not data.is_valid
    try:
        pcm, _ = sf.read(io.BytesIO(data.as_buffer()), dtype="int16")
    except (RuntimeError, ValueError, TypeError):
        return False
    return pcm_file_id(pcm) == file_id


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
        name = f"{i // CHUNK_SIZE:05d}-{_chunk_key(part, max_seconds)}.chunk"
        chunks.append(Chunk(split, part, work / split / name, max_seconds))
    return chunks


def _write_chunk(chunk: Chunk, results: list[Converted]) -> None:
    """Write the cache file: complete under its name or not at all (no fsync: see above)."""
    facts = [{**{k: getattr(r, k) for k in _FACTS}, "size": len(r.flac or b"")}
             for r in results]
    header = json.dumps(facts).encode()  # ASCII: odd file names travel as \udcXX escapes
    chunk.path.parent.mkdir(parents=True, exist_ok=True)
    tmp = chunk.path.with_name(f".{chunk.path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.writelines([_MAGIC, len(header).to_bytes(8, "little"), header,
                          *(r.flac for r in results if r.flac)])
        os.replace(tmp, chunk.path)
    finally:
        if tmp.exists():
            tmp.unlink()


def convert_chunk(chunk: Chunk) -> None:
    """Normalize the clips of ``chunk`` and write its cache file (in a worker process: the
    audio never travels back)."""
    _write_chunk(chunk, [convert_clip(c, chunk.max_seconds) for c in chunk.clips])


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the pool); a worker would print
    a traceback per process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def converted(
    chunks: Sequence[Chunk], jobs: int, progress: ProgressFactory
) -> Iterator[tuple[Chunk, ChunkResults]]:
    """Yield every chunk with its results, in order.

    Chunks without a cache file are converted ``jobs`` at a time by worker processes that write
    the cache files themselves, running ahead while the caller consumes earlier chunks; a cache
    file left by an earlier run is verified, and converted again here if it is damaged.
    ``progress(total)`` is a context manager giving ``advance(split, n)``; it is entered after
    the workers are started, so no display thread exists when they fork.
    """
    pending = [s for s in chunks if not s.path.is_file()]
    pool = None
    if jobs > 1 and len(pending) > 1:
        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        pool = ctx.Pool(min(jobs, len(pending)), initializer=_ignore_interrupts)
    try:
        with progress(sum(len(s.clips) for s in chunks)) as advance:
            done = pool.imap(convert_chunk, pending) if pool else map(convert_chunk, pending)
            todo = {s.path for s in pending}
            for chunk in chunks:
                fresh = chunk.path in todo
                if fresh:
                    next(done)  # results come in order: this is the chunk's
                advance(chunk.split, len(chunk.clips))
                try:
                    results = chunk.load(verify=not fresh)
                except CorruptChunkError:
                    convert_chunk(chunk)
                    results = chunk.load(verify=False)
                yield chunk, results
    finally:
        if pool:
            pool.terminate()
            pool.join()
