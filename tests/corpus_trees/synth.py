"""Short synthetic audio for the fake corpus trees: seeded noise, distinct per file name (so
the build's duplicate removal never merges two fake clips)."""

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
                subtype: str = "PCM_16", format: str | None = None) -> None:
    """Write noise for ``path`` (WAV by default) at ``rate`` with the given bit depth."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, noise(path.name, rate, seconds, channels), rate, subtype=subtype, format=format)
