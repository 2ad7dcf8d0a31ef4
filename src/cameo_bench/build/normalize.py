"""Step 2 of the build: normalize every clip's audio (in a process pool), cached per shard.

Clips of a corpus are cut, in origin order, into shards of :data:`SHARD_SIZE`. A worker process
normalizes one shard and writes its results atomically to ``<work>/<split>/<index>-<key>.parquet``
(the audio never travels between processes; a killed build resumes where it stopped). The key
hashes what the shard's results depend on (the clips' sources, their sizes and modification
times, the audio pipeline version), so a changed original is normalized again.
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

from cameo_bench.audio import AudioDecodeError, encode_flac, normalize
from cameo_bench.collection.format import atomic_write
from cameo_bench.records import SourceClip

__all__ = [
    "SHARD_SIZE", "Normalized", "Shard", "normalize_clip", "normalize_shard", "plan_shards",
    "normalized",
]

SHARD_SIZE = 16
#: ``progress(total_clips)`` → context manager yielding ``advance(split, n_clips)``.
ProgressFactory = Callable[[int], AbstractContextManager[Callable[[str, int], None]]]
#: Bump when the normalization changes (invalidates cached shards).
PIPELINE_VERSION = "1"


@dataclass(frozen=True)
class Normalized:
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
class Shard:
    """A slice of one corpus's clips and the cache file that holds (or will hold) its results."""

    split: str
    clips: tuple[SourceClip, ...]
    path: Path

    def load(self, with_flac: bool = False) -> list[Normalized]:
        """The cached results, in clip order; FLAC bytes only if ``with_flac``."""
        columns = [f.name for f in fields(Normalized) if with_flac or f.name != "flac"]
        rows = pq.ParquetFile(self.path).read(columns=columns).to_pylist()
        return [Normalized(**{"flac": None, **r}) for r in rows]


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


def normalize_clip(clip: SourceClip) -> Normalized:
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
        audio = normalize(src)
    except AudioDecodeError as exc:
        return Normalized(clip.origin, None, None, 0, 0, 0, False, exc.problem)
    return Normalized(
        clip.origin, audio.file_id, encode_flac(audio.pcm), len(audio.pcm),
        audio.source_rate, audio.source_frames, not audio.pcm.any(), None,
    )


def _shard_key(clips: Sequence[SourceClip]) -> str:
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for c in clips:
        try:
            st = c.source.path.stat()
            stamp = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        h.update(f"{c.origin}\0{c.source.describe()}\0{stamp}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:16]


def plan_shards(split: str, clips: Sequence[SourceClip], work: Path) -> list[Shard]:
    """Cut ``clips`` (in order) into shards whose cache files live under ``work/split``."""
    shards = []
    for i in range(0, len(clips), SHARD_SIZE):
        part = tuple(clips[i : i + SHARD_SIZE])
        name = f"{i // SHARD_SIZE:05d}-{_shard_key(part)}.parquet"
        shards.append(Shard(split, part, work / split / name))
    return shards


def _write_shard(shard: Shard, results: list[Normalized]) -> None:
    columns = [pa.array([getattr(r, f.name) for r in results], type=f.type) for f in _SCHEMA]
    table = pa.Table.from_arrays(columns, schema=_SCHEMA)
    atomic_write(shard.path, lambda tmp: pq.write_table(table, tmp, compression="none"))


def normalize_shard(shard: Shard) -> None:
    """Normalize the clips of ``shard`` and write its cache file (in a worker process: the
    audio never travels back)."""
    _write_shard(shard, [normalize_clip(c) for c in shard.clips])


def normalized(
    shards: Sequence[Shard], jobs: int, progress: ProgressFactory
) -> Iterator[tuple[Shard, list[Normalized]]]:
    """Yield every shard with its results (FLAC bytes included), in order.

    Shards without a cache file are normalized ``jobs`` at a time by worker processes that write
    the cache files themselves, running ahead while the caller consumes earlier shards.
    ``progress(total)`` is a context manager giving ``advance(split, n)``; it is entered after
    the workers are started, so no display thread exists when they fork.
    """
    pending = [s for s in shards if not s.path.is_file()]
    pool = None
    if jobs > 1 and len(pending) > 1:
        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        pool = ctx.Pool(min(jobs, len(pending)))
    try:
        with progress(sum(len(s.clips) for s in shards)) as advance:
            done = pool.imap(normalize_shard, pending) if pool else map(normalize_shard, pending)
            todo = {s.path for s in pending}
            for shard in shards:
                if shard.path in todo:
                    next(done)  # results come in order: this is the shard's
                advance(shard.split, len(shard.clips))
                yield shard, shard.load(with_flac=True)
    finally:
        if pool:
            pool.terminate()
            pool.join()
