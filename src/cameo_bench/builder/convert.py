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
    "CHUNK_SIZE", "Converted", "Chunk", "convert_clip", "convert_chunk", "plan_chunks",
    "converted",
]

CHUNK_SIZE = 16
#: ``progress(total_clips)`` → context manager yielding ``advance(split, n_clips)``.
ProgressFactory = Callable[[int], AbstractContextManager[Callable[[str, int], None]]]
#: Bump when the normalization changes (invalidates cached chunks).
PIPELINE_VERSION = "1"


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


@dataclass(frozen=True)
class Chunk:
    """A slice of one corpus's clips and the cache file that holds (or will hold) its results."""

    split: str
    clips: tuple[SourceClip, ...]
    path: Path

    def load(self, with_flac: bool = False) -> list[Converted]:
        """The cached results, in clip order; FLAC bytes only if ``with_flac``."""
        columns = [f.name for f in fields(Converted) if with_flac or f.name != "flac"]
        rows = pq.ParquetFile(self.path).read(columns=columns).to_pylist()
        return [Converted(**{"flac": None, **r}) for r in rows]


def wav_truncation(path: Path) -> str | None:
    """A reason if the RIFF/WAVE file at ``path`` holds less audio than its header declares
    (an interrupted download decodes silently short); None otherwise or for other formats."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        pos = 12
        while pos + 8 <= size:
            f.seek(pos)
            chunk = f.read(8)
            declared = int.from_bytes(chunk[4:], "little")
            if chunk[:4] == b"data":
                held = size - pos - 8
                if declared not in (0, 0xFFFFFFFF) and declared > held:
                    return (f"truncated WAV: the header declares {declared} bytes of audio, "
                            f"the file holds {held}")
                return None
            pos += 8 + declared + (declared & 1)
    return None


def convert_clip(clip: SourceClip) -> Converted:
    """Normalize one clip to 16 kHz mono 16-bit FLAC; an invalid source gives ``error`` set
    (never raises for bad audio)."""
    src = clip.source
    try:
        whole_wav = src.row is None and src.start is None and src.path.suffix.lower() == ".wav"
        try:
            problem = wav_truncation(src.path) if whole_wav and src.path.is_file() else None
        except OSError as exc:
            problem = f"cannot read the file ({exc.strerror or type(exc).__name__})"
        if problem:
            raise AudioDecodeError(src.describe(), problem)
        audio = convert(src)
    except AudioDecodeError as exc:
        return Converted(clip.origin, None, None, 0, 0, 0, False, exc.problem)
    return Converted(
        clip.origin, audio.file_id, encode_flac(audio.pcm), len(audio.pcm),
        audio.source_rate, audio.source_frames, not audio.pcm.any(), None,
    )


def _chunk_key(clips: Sequence[SourceClip]) -> str:
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for c in clips:
        try:
            st = c.source.path.stat()
            stamp = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        h.update(f"{c.origin}\0{c.source.describe()}\0{stamp}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:16]


def plan_chunks(split: str, clips: Sequence[SourceClip], work: Path) -> list[Chunk]:
    """Cut ``clips`` (in order) into chunks whose cache files live under ``work/split``."""
    chunks = []
    for i in range(0, len(clips), CHUNK_SIZE):
        part = tuple(clips[i : i + CHUNK_SIZE])
        name = f"{i // CHUNK_SIZE:05d}-{_chunk_key(part)}.parquet"
        chunks.append(Chunk(split, part, work / split / name))
    return chunks


def _write_chunk(chunk: Chunk, results: list[Converted]) -> None:
    columns = [pa.array([getattr(r, f.name) for r in results], type=f.type) for f in _SCHEMA]
    table = pa.Table.from_arrays(columns, schema=_SCHEMA)
    atomic_write(chunk.path, lambda tmp: pq.write_table(table, tmp, compression="none"))


def convert_chunk(chunk: Chunk) -> None:
    """Normalize the clips of ``chunk`` and write its cache file (in a worker process: the
    audio never travels back)."""
    _write_chunk(chunk, [convert_clip(c) for c in chunk.clips])


def converted(
    chunks: Sequence[Chunk], jobs: int, progress: ProgressFactory
) -> Iterator[tuple[Chunk, list[Converted]]]:
    """Yield every chunk with its results (FLAC bytes included), in order.

    Shards without a cache file are converted ``jobs`` at a time by worker processes that write
    the cache files themselves, running ahead while the caller consumes earlier chunks.
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
                yield chunk, chunk.load(with_flac=True)
    finally:
        if pool:
            pool.terminate()
            pool.join()
