"""Decode original audio of any corpus and normalize it to CAMEO's format (SPEC §1.2–1.3).

Normalized audio is 16 kHz mono 16-bit PCM: channels averaged, resampled with soxr (very high
quality), scaled by 32768, rounded and clipped. ``file_id`` is the sha256 of those PCM bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from cameo_bench.errors import InputError
from cameo_bench.records import AudioSource

__all__ = [
    "TARGET_SR",
    "AudioDecodeError",
    "NormalizedAudio",
    "decode_source",
    "to_mono",
    "resample",
    "to_pcm16",
    "pcm_file_id",
    "convert",
    "encode_flac",
    "decode_flac",
]

TARGET_SR = 16_000
_SOUNDFILE_SUFFIXES = {".wav", ".flac", ".aiff", ".aif", ".ogg"}


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


def _read_soundfile(data, name: str, start: float | None = None, end: float | None = None):
    with sf.SoundFile(data) as f:
        rate = f.samplerate
        if start is not None:
            first = round(start * rate)
            last = f.frames if end is None else min(round(end * rate), f.frames)
            if first >= f.frames or last <= first:
                raise AudioDecodeError(name, f"segment [{start}, {end}) s is outside the audio")
            f.seek(first)
            x = f.read(last - first, dtype="float32", always_2d=True)
        else:
            x = f.read(dtype="float32", always_2d=True)
    return x, rate


def _read_pyav(path: Path) -> tuple[np.ndarray, int]:
    import av

    with av.open(str(path)) as container:
        if not container.streams.audio:
            raise AudioDecodeError(path, "the file has no audio stream")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp")
        chunks = []
        rate = stream.rate
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray())
                rate = out.sample_rate
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray())
    if not chunks:
        return np.zeros((0, 1), dtype=np.float32), rate
    return np.concatenate(chunks, axis=1).T.astype(np.float32, copy=False), rate


@functools.lru_cache(maxsize=4)
def _parquet_column(path: Path, column: str):
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=[column]).column(column)


def decode_source(source: AudioSource) -> tuple[np.ndarray, int]:
    """Decode ``source`` to float32 samples shaped ``(frames, channels)`` and its sample rate.

    Raises :class:`AudioDecodeError` naming the source when it cannot be decoded.
    """
    name = source.describe()
    try:
        if source.row is not None:
            cell = _parquet_column(source.path, source.column or "audio")[source.row].as_py()
            blob = cell["bytes"] if isinstance(cell, dict) else cell
            if not blob:
                raise AudioDecodeError(name, "the audio bytes are empty")
            x, rate = _read_soundfile(io.BytesIO(blob), name)
        elif source.path.suffix.lower() in _SOUNDFILE_SUFFIXES:
            if source.path.stat().st_size == 0:
                raise AudioDecodeError(name, "the file is empty (0 bytes)")
            x, rate = _read_soundfile(source.path, name, source.start, source.end)
        else:
            x, rate = _read_pyav(source.path)
            if source.start is not None:
                x = x[round(source.start * rate) : None if source.end is None
                      else round(source.end * rate)]
    except AudioDecodeError:
        raise
    except Exception as exc:  # soundfile / PyAV / OS errors: one clear line
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
    return soxr.resample(x, rate, target, quality="VHQ")


def to_pcm16(x: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1) to int16: scale by 32768, round half to even, clip."""
    return np.clip(np.rint(x * 32768.0), -32768, 32767).astype("<i2")


def pcm_file_id(pcm: np.ndarray) -> str:
    """The CAMEO ``file_id`` of normalized PCM: sha256 of its little-endian bytes + ``.flac``."""
    return hashlib.sha256(np.ascontiguousarray(pcm, dtype="<i2").tobytes()).hexdigest() + ".flac"


def convert(source: AudioSource) -> NormalizedAudio:
    """Decode ``source`` and bring it to 16 kHz mono int16 PCM."""
    x, rate = decode_source(source)
    pcm = to_pcm16(resample(to_mono(x), rate))
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
