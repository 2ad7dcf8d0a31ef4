"""A tiny collection (CaFE + nEMO, two clips per label) and submissions for the leaderboard
tests, built in memory and seeded."""

from __future__ import annotations

import json
import random
from pathlib import Path

from cameo_bench.collection.format import write_metadata
from cameo_bench.predictions import write_predictions
from cameo_bench.records import ClipRecord, Prediction
from cameo_bench.vocab import CORPORA

SPLITS = ("cafe", "nemo")
HOSTILE_NAME = "<script>window.__pwned=1</script>\"'><img src=x onerror=\"window.__pwned=2\">"


def clip_records() -> list[ClipRecord]:
    """Two clips per label of CaFE and nEMO (26 records)."""
    out = []
    for split in SPLITS:
        info = CORPORA[split]
        for label in info.labels:
            for k in range(2):
                out.append(ClipRecord(f"{split}-{label}-{k}.flac", label, None, None, None, None,
                                      info.name, info.language, info.license))
    return out


def write_collection(root: Path) -> Path:
    """A collection folder with just ``metadata.jsonl``; returns the folder."""
    write_metadata(root, clip_records())
    return root


def make_predictions(model: str = "org/model", *, temperatures=(0.0,), skill: float = 0.6,
                     seed: int = 0) -> list[Prediction]:
    """An answer for every clip at each temperature: the gold label (as a word in a sentence)
    with probability ``skill``, else another offered label or gibberish."""
    rng = random.Random(seed)
    out = []
    for t in temperatures:
        for r in clip_records():
            labels = list(CORPORA[[s for s in SPLITS if CORPORA[s].name == r.dataset][0]].labels)
            roll = rng.random()
            answer = (f"The speaker sounds {r.emotion}." if roll < skill
                      else rng.choice(labels) if roll < 0.9 else "hmm")
            out.append(Prediction(r.file_id, r.dataset, r.language, r.emotion, labels, model,
                                  None, t, "cameo-v1", answer))
    return out


def write_submission(folder: Path, preds: list[Prediction], meta: dict | None = None,
                     name: str = "sub") -> tuple[Path, Path]:
    """Write ``<name>.jsonl`` and ``<name>.meta.json``; returns both paths."""
    pred_path = write_predictions(folder / f"{name}.jsonl", preds)
    meta_path = folder / f"{name}.meta.json"
    meta_path.write_text(json.dumps(meta or {"name": "Test system"}), encoding="utf-8")
    return pred_path, meta_path


def full_collection_records() -> list[ClipRecord]:
    """Records of a collection with every corpus at its Table 1 count (41,265 clips), gold
    labels cycling through each corpus's label set."""
    out = []
    for split, info in CORPORA.items():
        for i in range(info.samples):
            out.append(ClipRecord(f"{split}-{i:05d}.flac", info.labels[i % len(info.labels)],
                                  None, None, None, None, info.name, info.language,
                                  info.license))
    return out


def full_collection_predictions(model: str, skill: float, seed: int = 0) -> list[Prediction]:
    """One answer per clip of :func:`full_collection_records`: the gold label with probability
    ``skill``, else the next offered label."""
    rng = random.Random(seed)
    split_of = {info.name: split for split, info in CORPORA.items()}
    out = []
    for r in full_collection_records():
        labels = list(CORPORA[split_of[r.dataset]].labels)
        answer = (r.emotion if rng.random() < skill
                  else labels[(labels.index(r.emotion) + 1) % len(labels)])
        out.append(Prediction(r.file_id, r.dataset, r.language, r.emotion, labels, model, None,
                              0.0, "cameo-v1", answer))
    return out
