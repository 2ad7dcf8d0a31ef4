"""Tiny synthetic audio in the containers the corpora ship: WAV, WebM/Opus, AVI (PCM + video).

Each writer puts ``seconds`` of seeded noise at ``rate`` Hz into ``path`` (parents created) and
returns the number of frames written, so tests can check the decoded length.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import soundfile as sf


def noise(key: str, rate: int, seconds: float = 0.1) -> np.ndarray:
    """Seeded noise for ``key`` (deterministic across runs): float32, amplitude ~0.1."""
    rng = np.random.default_rng(zlib.crc32(key.encode()))
    return (rng.standard_normal(int(rate * seconds)) * 0.1).astype(np.float32)


def write_wav(path: Path, rate: int, seconds: float = 0.1, subtype: str = "PCM_16") -> int:
    """A mono WAV of seeded noise; ``seconds=0`` gives an all-silent 0.1 s file instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    x = noise(path.name, rate, seconds or 0.1) * (1.0 if seconds else 0.0)
    sf.write(path, x, rate, subtype=subtype)
    return len(x)


def _write_av(path: Path, fmt: str, codec: str, rate: int, seconds: float, video: bool) -> int:
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    x = noise(path.name, rate, seconds)
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
    return len(x)


def write_webm_opus(path: Path, rate: int = 48_000, seconds: float = 0.1) -> int:
    """A WebM file with one Opus audio stream (EMNS)."""
    return _write_av(path, "webm", "libopus", rate, seconds, video=False)


def write_avi_pcm(path: Path, rate: int = 48_000, seconds: float = 0.1) -> int:
    """An AVI file with a tiny MJPEG video stream and a 16-bit PCM audio stream (eNTERFACE)."""
    return _write_av(path, "avi", "pcm_s16le", rate, seconds, video=True)
