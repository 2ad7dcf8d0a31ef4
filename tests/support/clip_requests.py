"""Requests for backend tests: seeded noise clips with the benchmark's instruction, built without
a collection."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cameo_bench.backends import Request
from cameo_bench.prompts import get_prompt
from cameo_bench.records import ClipRecord

LABELS = ("anger", "fear", "happiness", "neutral", "sadness")


def noise(seconds: float, seed: int) -> np.ndarray:
    """``seconds`` of seeded 16 kHz noise at a moderate level."""
    return (np.random.default_rng(seed).standard_normal(int(16_000 * seconds)) * 0.1
            ).astype(np.float32)


def clip_requests(audios: Sequence[np.ndarray], file_ids: Sequence[str] | None = None
                  ) -> list[Request]:
    """One request per audio, file ids ``clip-0``, ``clip-1``... unless given."""
    ids = file_ids or [f"clip-{i}" for i in range(len(audios))]
    prompt = get_prompt().render(LABELS)
    return [Request(ClipRecord(fid, "anger", None, None, None, None, "cafe", "French", "MIT"),
                    audio, prompt, LABELS)
            for fid, audio in zip(ids, audios, strict=True)]
