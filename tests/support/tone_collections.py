"""Collections for the baseline tests: seeded voiced tones (openSMILE finds a pitch in them), any
length, any ``file_id`` (hostile ones included), written with the project's collection writer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cameo_bench.audio import TARGET_SR, encode_flac, pcm_file_id, to_pcm16
from cameo_bench.collection.format import write_metadata, write_split
from cameo_bench.records import ClipRecord
from cameo_bench.vocab import corpus_info


def tone(seconds: float, seed: int) -> np.ndarray:
    """``seconds`` of a seeded harmonic tone (pitch 110-300 Hz) with a little noise, float32."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(TARGET_SR * seconds)) / TARGET_SR
    f0 = 110 + 190 * rng.random()
    x = sum(np.sin(2 * np.pi * k * f0 * t) / k for k in (1, 2, 3)) * 0.2
    return (x + 0.01 * rng.standard_normal(t.size)).astype(np.float32)


def tone_collection(root: Path, layout: dict[str, int], *, seconds: float = 0.5,
                    lengths: Sequence[float] = (), file_ids: Sequence[str] = ()) -> Path:
    """Write a collection under ``root`` with ``layout[split]`` clips per split: labels cycle
    through the split's labels, speakers ``<split>_0`` .. ``<split>_2``; clip ``i`` (counted
    over all splits) lasts ``lengths[i]`` (else ``seconds``) and has id ``file_ids[i]`` (else the
    hash of its audio)."""
    records: list[ClipRecord] = []
    i = 0
    for split, n in layout.items():
        info = corpus_info(split)
        rows = []
        for k in range(n):
            pcm = to_pcm16(tone(lengths[i] if i < len(lengths) else seconds, i))
            record = ClipRecord(
                file_id=file_ids[i] if i < len(file_ids) else pcm_file_id(pcm),
                emotion=info.labels[k % len(info.labels)], transcription=f"sentence {k % 4}",
                speaker_id=f"{split}_{k % 3}", gender=None, age=None, dataset=info.name,
                language=info.language, license=info.license,
            )
            rows.append((record, encode_flac(pcm)))
            records.append(record)
            i += 1
        write_split(root, split, rows)
    write_metadata(root, records)
    return root
