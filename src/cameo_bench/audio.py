"""Decode original audio of any corpus and normalize it to CAMEO's format (SPEC §1.2–1.3).

Normalized audio is 16 kHz mono 16-bit PCM: channels averaged, resampled with soxr (very high
quality), scaled by 32768, rounded and clipped. ``file_id`` is the sha256 of those PCM bytes.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import io
import itertools
import os
import stat
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soundfile as sf
import soxr

from cameo_bench.errors import InputError
from cameo_bench.records import AudioSource

__all__ = [
    "TARGET_SR",
    "AudioDecodeError",
    "NormalizedAudio",
    "MIN_RATE",
    "MAX_RATE",
    "file_kind_problem",
    "decode_mono",
    "to_mono",
    "resample",
    "to_pcm16",
    "pcm_file_id",
    "convert",
    "encode_flac",
    "decode_flac",
    "flac_frames",
]

TARGET_SR = 16_000
#: Sample rates a recording can plausibly have; a header outside them is damaged.
MIN_RATE, MAX_RATE = 4_000, 384_000
_SOUNDFILE_SUFFIXES = {".wav", ".flac", ".aiff", ".aif", ".ogg"}
#: Frames read at a time when downmixing many channels.
_BLOCK_FRAMES = 1 << 16
#: Per thread: a soxr resampler per (rate, target), cleared between clips. Reusing one skips
#: designing the VHQ filter again for every clip; the samples are those of soxr.resample, bit
#: for bit (tested over rates 4-384 kHz and lengths from 1 sample).
_RESAMPLERS = threading.local()
_NOT_FILES = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
              (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
              (stat.S_ISSOCK, "a socket"))


class AudioDecodeError(InputError):
    """The audio of a source cannot be decoded (corrupt, empty, not audio)."""


@dataclass(frozen=True)
class NormalizedAudio:
    """A clip in CAMEO's format plus what the original looked like."""

    pcm: np.ndarray  # int16, mono, TARGET_SR
    source_rate: int
    source_frames: int

    @property
    def file_id(self) -> str:
        """``sha256(PCM bytes) + ".flac"``: identical audio gets one id."""
        return pcm_file_id(self.pcm)

    @property
    def source_seconds(self) -> float:
        """Duration of the audio as distributed."""
        return self.source_frames / self.source_rate


def file_kind_problem(path: Path) -> str | None:
    """Why ``path`` cannot hold audio when it is not a regular file (a symlink loop, a broken
    symlink, a FIFO, a device, a socket, a folder), or why it cannot be looked at; None for a
    regular file. Never opens ``path`` (opening a FIFO would block)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop, not an audio file"
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return f"a broken symbolic link (to {os.readlink(path)}), not an audio file"
        return f"cannot read the file ({exc.strerror or type(exc).__name__})"
    for test, kind in _NOT_FILES:
        if test(mode):
            return f"{kind}, not an audio file"
    return None


def _check_size(name: str, rate: int, frames: int, max_seconds: float | None) -> None:
    """Refuse implausible headers before any sample is read (memory stays bounded)."""
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioDecodeError(name, f"implausible sample rate {rate} Hz (a corpus clip has "
                                     f"{MIN_RATE}-{MAX_RATE} Hz): a damaged header?")
    if max_seconds is not None and frames > max_seconds * rate:
        raise AudioDecodeError(name, f"{frames / rate:.1f} s long, more than the corpus's "
                                     f"longest plausible clip ({max_seconds:g} s): a damaged "
                                     "header or a file of another kind?")


def _check_finite(name: str, x: np.ndarray) -> None:
    if not np.isfinite(x).all():
        raise AudioDecodeError(name, "the audio holds NaN or infinite samples (a damaged "
                                     "float WAV?)")


def _wav_pcm16(f: BinaryIO, size: int, name: str, max_seconds: float | None):
    """Samples of a plain 16-bit PCM RIFF/WAVE file as mono float32 and its rate, read directly
    (as libsndfile would, bit for bit); None for any other file (soundfile reads it). A data
    chunk that declares more bytes than the file holds raises (a cut download)."""
    head = f.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    fmt, pos = None, 12
    while pos + 8 <= size:
        f.seek(pos)
        chunk = f.read(8)
        declared = int.from_bytes(chunk[4:], "little")
        if chunk[:4] == b"fmt " and declared >= 16:
            body = f.read(16)
            if len(body) < 16:
                return None
            fmt = struct.unpack("<HHIIHH", body)
        elif chunk[:4] == b"data":
            held = size - pos - 8
            if declared not in (0, 0xFFFFFFFF) and declared > held:
                raise AudioDecodeError(name, f"truncated WAV: the header declares {declared} "
                                             f"bytes of audio, the file holds {held}")
            if fmt is None or declared in (0, 0xFFFFFFFF):
                return None
            tag, channels, rate, _, align, bits = fmt
            if tag != 1 or bits != 16 or channels < 1 or align != 2 * channels:
                return None
            frames = declared // align
            _check_size(name, rate, frames, max_seconds)
            pcm = np.empty(frames * channels, dtype="<i2")
            f.seek(pos + 8)
            if f.readinto(memoryview(pcm).cast("B")) != pcm.nbytes:
                return None
            x = pcm.astype(np.float32)
            x *= np.float32(1 / 32768)  # libsndfile's scale: exact for 16-bit samples
            return to_mono(x.reshape(frames, channels)), rate
        pos += 8 + declared + (declared & 1)
    return None


def _read_soundfile(data, name: str, start: float | None = None, end: float | None = None,
                    max_seconds: float | None = None) -> tuple[np.ndarray, int]:
    with sf.SoundFile(data) as f:
        rate = f.samplerate
        first, last = 0, f.frames
        if start is not None:
            first = round(start * rate)
            last = f.frames if end is None else min(round(end * rate), f.frames)
            if first >= f.frames or last <= first:
                raise AudioDecodeError(name, f"segment [{start}, {end}) s is outside the audio")
        _check_size(name, rate, last - first, max_seconds)
        if first:
            f.seek(first)
        if f.channels == 1:
            x = f.read(last - first, dtype="float32", always_2d=True)[:, 0]
        else:  # downmixed block by block: memory stays at one channel
            x = np.empty(last - first, dtype=np.float32)
            done = 0
            while done < len(x):
                block = f.read(min(_BLOCK_FRAMES, len(x) - done), dtype="float32",
                               always_2d=True)
                if not len(block):
                    break
                x[done : done + len(block)] = to_mono(block)
                done += len(block)
            x = x[:done]
        if f.subtype in ("FLOAT", "DOUBLE"):
            _check_finite(name, x)
    return x, rate


def _read_pyav(path: Path, name: str, max_seconds: float | None) -> tuple[np.ndarray, int]:
    import av

    with av.open(str(path)) as container:
        if not container.streams.audio:
            raise AudioDecodeError(path, "the file has no audio stream")
        stream = container.streams.audio[0]
        _check_size(name, stream.rate, 0, max_seconds)
        resampler = av.AudioResampler(format="fltp")
        chunks = []
        rate, frames = stream.rate, 0
        limit = None if max_seconds is None else max_seconds * stream.rate
        for frame in itertools.chain(container.decode(stream), [None]):
            for out in resampler.resample(frame):
                chunks.append(to_mono(out.to_ndarray().T))
                rate, frames = out.sample_rate, frames + out.samples
                if limit is not None and frames > limit:  # stop decoding: memory bounded
                    _check_size(name, rate, frames, max_seconds)
    if not chunks:
        return np.zeros(0, dtype=np.float32), rate
    x = np.concatenate(chunks)
    _check_finite(name, x)
    return x, rate


@functools.lru_cache(maxsize=4)
def _parquet_column(path: Path, column: str):
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=[column]).column(column)


def decode_mono(source: AudioSource, max_seconds: float | None = None) -> tuple[np.ndarray, int]:
    """Decode ``source`` to mono float32 samples (channels averaged) and its sample rate.

    Raises :class:`AudioDecodeError` naming the source when it cannot be decoded, is not a
    regular file, declares a sample rate outside [:data:`MIN_RATE`, :data:`MAX_RATE`], lasts
    more than ``max_seconds`` (checked from the header, before decoding), or holds NaN or
    infinite samples.
    """
    name = source.describe()
    try:
        problem = file_kind_problem(source.path)
        if problem:
            raise AudioDecodeError(name, problem)
        if source.row is not None:
            cell = _parquet_column(source.path, source.column or "audio")[source.row].as_py()
            blob = cell["bytes"] if isinstance(cell, dict) else cell
            if not blob:
                raise AudioDecodeError(name, "the audio bytes are empty")
            x, rate = _read_soundfile(io.BytesIO(blob), name, max_seconds=max_seconds)
        elif source.path.suffix.lower() in _SOUNDFILE_SUFFIXES:
            size = source.path.stat().st_size
            if size == 0:
                raise AudioDecodeError(name, "the file is empty (0 bytes)")
            direct = None
            if source.start is None:
                with open(source.path, "rb") as f:
                    direct = _wav_pcm16(f, size, name, max_seconds)
            x, rate = direct or _read_soundfile(source.path, name, source.start, source.end,
                                                max_seconds)
        else:
            x, rate = _read_pyav(source.path, name, max_seconds)
            if source.start is not None:
                x = x[round(source.start * rate) : None if source.end is None
                      else round(source.end * rate)]
    except AudioDecodeError:
        raise
    except Exception as exc:  # soundfile / PyAV / OS errors: one clear line
        if isinstance(exc, OSError) and exc.strerror and not isinstance(exc, sf.LibsndfileError):
            raise AudioDecodeError(name, f"cannot read the file ({exc.strerror})") from exc
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise AudioDecodeError(name, f"cannot decode audio ({detail})") from exc
    if len(x) == 0:
        raise AudioDecodeError(name, "the audio has zero length")
    return x, rate


def to_mono(x: np.ndarray) -> np.ndarray:
    """Average the channels of ``(frames, channels)`` samples into one float32 channel."""
    if x.ndim == 1:
        return x.astype(np.float32, copy=False)
    if x.shape[1] == 1:
        return x[:, 0].astype(np.float32, copy=False)
    return x.mean(axis=1, dtype=np.float64).astype(np.float32)


def resample(x: np.ndarray, rate: int, target: int = TARGET_SR) -> np.ndarray:
    """Resample mono float samples from ``rate`` to ``target`` with soxr (very high quality)."""
    if rate == target:
        return x
    if x.dtype != np.float32 or x.ndim != 1:
        return soxr.resample(x, rate, target, quality="VHQ")
    streams = _RESAMPLERS.__dict__.setdefault("by_rates", {})
    stream = streams.get((rate, target))
    if stream is None:
        stream = streams[(rate, target)] = soxr.ResampleStream(rate, target, 1, "float32", "VHQ")
    else:
        stream.clear()
    return stream.resample_chunk(x, last=True)


def to_pcm16(x: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1) to int16: scale by 32768, round half to even, clip."""
    y = x * 32768.0
    np.rint(y, out=y)
    np.clip(y, -32768, 32767, out=y)
    return y.astype("<i2")


def pcm_file_id(pcm: np.ndarray) -> str:
    """The CAMEO ``file_id`` of normalized PCM: sha256 of its little-endian bytes + ``.flac``."""
    return hashlib.sha256(np.ascontiguousarray(pcm, dtype="<i2")).hexdigest() + ".flac"


def convert(source: AudioSource, max_seconds: float | None = None) -> NormalizedAudio:
    """Decode ``source`` and bring it to 16 kHz mono int16 PCM (``max_seconds``: see
    :func:`decode_mono`)."""
    x, rate = decode_mono(source, max_seconds)
    pcm = to_pcm16(resample(x, rate))
    return NormalizedAudio(pcm=pcm, source_rate=rate, source_frames=len(x))


def encode_flac(pcm: np.ndarray, rate: int = TARGET_SR) -> bytes:
    """Encode int16 mono PCM as 16-bit FLAC file bytes."""
    buf = io.BytesIO()
    sf.write(buf, pcm, rate, format="FLAC", subtype="PCM_16")
    return buf.getvalue()


def decode_flac(data: bytes) -> tuple[np.ndarray, int]:
    """Decode FLAC (or any soundfile format) bytes to mono float32 samples and the rate."""
    x, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return to_mono(x), rate


def flac_frames(data: bytes) -> int:
    """The number of samples per channel of FLAC ``data``, read from its STREAMINFO block
    without decoding (any other soundfile format, or FLAC that does not state it: from
    soundfile's header read)."""
    # "fLaC", then STREAMINFO (always first): a 4-byte block header and 34 bytes whose bytes
    # 10-17 hold rate (20 bits), channels-1 (3), bits-1 (5) and the total samples (36)
    if data[:4] == b"fLaC" and data[4] & 0x7F == 0 and len(data) >= 26:
        total = int.from_bytes(data[18:26], "big") & ((1 << 36) - 1)
        if total:
            return total
    return sf.info(io.BytesIO(data)).frames
