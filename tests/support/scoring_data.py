"""Small synthetic predictions for the scoring tests (built in memory, seeded)."""

from __future__ import annotations

import random

from cameo_bench.records import Prediction
from cameo_bench.vocab import CORPORA

SPLITS = ("cafe", "jl_corpus", "nemo", "pavoque", "ravdess")


def make_predictions(model: str = "m", *, skill: float = 0.5, seed: int = 0, per_corpus: int = 30,
                     temperature: float = 0.0, splits: tuple[str, ...] = SPLITS,
                     ) -> list[Prediction]:
    """``per_corpus`` clips of each of ``splits`` (default: five corpora); answers name the
    gold label with probability ``skill``, else another offered label, a synonym-ish word or
    nothing."""
    rng = random.Random(seed)
    out = []
    for split in splits:
        info = CORPORA[split]
        labels = list(info.labels)
        for i in range(per_corpus):
            gold = labels[(i * 7 + len(split)) % len(labels)]
            roll = rng.random()
            if roll < skill:
                response = rng.choice([gold, gold.capitalize() + ".", f"I think {gold}"])
            elif roll < 0.93:
                response = rng.choice(labels)
            else:
                response = rng.choice(["", "no idea", "year"])
            out.append(Prediction(f"{split}-{i:03d}.flac", info.name, info.language, gold, labels,
                                  model, None, temperature, "cameo-v1", response))
    return out


def full_collection_predictions(model: str, *, temperature: float = 0.0, skill: float = 0.5,
                                seed: int = 0) -> list[Prediction]:
    """One run over a collection of the full size: each of the 13 corpora with its Table 1
    clip count, name, language and labels (so its coverage is ``full``); answers as in
    :func:`make_predictions`, drawn from a few fixed strings."""
    rng = random.Random(seed)
    out = []
    for split, info in CORPORA.items():
        labels = list(info.labels)
        for i in range(info.samples):
            gold = labels[(i * 7 + len(split)) % len(labels)]
            roll = rng.random()
            response = gold if roll < skill else rng.choice(labels) if roll < 0.95 else "no idea"
            out.append(Prediction(f"{split}-{i:05d}.flac", info.name, info.language, gold, labels,
                                  model, None, temperature, "cameo-v1", response))
    return out
