"""Tiny synthetic collections for evaluation tests: seeded noise clips in a few corpora, written
with the foundation's collection writer (no real corpus needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cameo_bench.audio import encode_flac, pcm_file_id, to_pcm16
from cameo_bench.collection.format import write_metadata, write_split
from cameo_bench.records import ClipRecord
from cameo_bench.vocab import corpus_info

#: corpus split → number of clips written by :func:`make_collection` by default.
DEFAULT_LAYOUT = {"cafe": 5, "nemo": 4, "ravdess": 3}


def make_collection(root: Path, layout: dict[str, int] | None = None, seed: int = 0) -> Path:
    """Write a collection of noise clips (0.2–1.0 s, distinct lengths) under ``root``."""
    rng = np.random.default_rng(seed)
    records: list[ClipRecord] = []
    for split, n in (layout or DEFAULT_LAYOUT).items():
        info = corpus_info(split)
        rows = []
        for i in range(n):
            seconds = float(rng.uniform(0.2, 1.0))
            pcm = to_pcm16(rng.uniform(-0.1, 0.1, int(seconds * 16000)).astype(np.float32))
            record = ClipRecord(
                file_id=pcm_file_id(pcm), emotion=info.labels[i % len(info.labels)],
                transcription=None, speaker_id=f"{split}_{i % 2}", gender=None, age=None,
                dataset=info.name, language=info.language, license=info.license,
            )
            rows.append((record, encode_flac(pcm)))
            records.append(record)
        write_split(root, split, rows)
    write_metadata(root, records)
    return root
