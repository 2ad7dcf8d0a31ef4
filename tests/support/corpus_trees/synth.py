"""Short synthetic audio for the fake corpus trees, in the containers the corpora ship (WAV,
FLAC, WebM/Opus, AVI with PCM + video): seeded noise, distinct per file name (so the build's
duplicate removal never merges two fake clips)."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import soundfile as sf


def noise(name: str, rate: int, seconds: float = 0.1, channels: int = 1) -> np.ndarray:
    """``seconds`` of quiet noise at ``rate``, shaped (frames, channels), seeded by ``name``."""
    rng = np.random.default_rng(zlib.crc32(name.encode("utf-8")))
    return (0.1 * rng.standard_normal((round(rate * seconds), channels))).astype(np.float32)


def write_audio(path: Path, rate: int, seconds: float = 0.1, channels: int = 1,
                subtype: str = "PCM_16", format: str | None = None, silent: bool = False) -> None:
    """Write noise for ``path`` (WAV by default) at ``rate`` with the given bit depth; with
    ``silent`` the same length of all-zero samples instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    x = noise(path.name, rate, seconds, channels)
    sf.write(path, x * 0.0 if silent else x, rate, subtype=subtype, format=format)


def _write_av(path: Path, fmt: str, codec: str, rate: int, seconds: float, video: bool) -> None:
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    x = noise(path.name, rate, seconds)[:, 0]
    with av.open(str(path), "w", format=fmt) as container:
        # every stream is added before the first packet is muxed
        v = container.add_stream("mjpeg", rate=25) if video else None
        a = container.add_stream(codec, rate=rate)
        a.layout = "mono"
        if v is not None:  # eNTERFACE's AVIs are videos: give the demuxer a video stream to skip
            v.width, v.height, v.pix_fmt = 16, 16, "yuvj420p"
            picture = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
            for packet in [*v.encode(picture), *v.encode(None)]:
                container.mux(packet)
        if codec == "pcm_s16le":
            frame = av.AudioFrame.from_ndarray(
                (x * 32767).astype(np.int16)[None, :], format="s16", layout="mono"
            )
        else:
            frame = av.AudioFrame.from_ndarray(x[None, :], format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in [*a.encode(frame), *a.encode(None)]:
            container.mux(packet)


def write_webm_opus(path: Path, rate: int = 48_000, seconds: float = 0.1) -> None:
    """A WebM file with one Opus audio stream of noise (EMNS)."""
    _write_av(path, "webm", "libopus", rate, seconds, video=False)


def write_avi_pcm(path: Path, rate: int = 48_000, seconds: float = 0.1) -> None:
    """An AVI file with a tiny MJPEG video stream and a 16-bit PCM audio stream (eNTERFACE)."""
    _write_av(path, "avi", "pcm_s16le", rate, seconds, video=True)
