"""Helpers shared by the demo and baseline tests: one small demo per test session, requests
built from a collection, and an independent bootstrap of macro-F1 (numpy + scikit-learn)."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import numpy as np

from cameo_bench.backends import Request
from cameo_bench.collection import open_collection
from cameo_bench.demo import generate_demo
from cameo_bench.prompts import get_prompt, offered_labels


@functools.lru_cache(maxsize=1)
def small_demo() -> Path:
    """A small demo collection generated once per test session."""
    root = Path(tempfile.mkdtemp(prefix="cameo-demo-")) / "demo"
    return generate_demo(root, "small", workers=2)


def requests_of(root: Path) -> list[Request]:
    """Every clip of the collection at ``root`` as a request with the paper's prompt."""
    collection = open_collection(root)
    prompt = get_prompt()
    out = []
    for clip, audio in collection.audio(collection.clips()):
        labels = offered_labels(clip.split)
        out.append(Request(clip.record, audio, prompt.render(labels), labels))
    return out


def macro_f1_interval(y_true, y_pred, *, resamples: int = 300, seed: int = 0):
    """Macro-F1 over the gold classes and its percentile 95% bootstrap interval."""
    from sklearn.metrics import f1_score

    labels = sorted(set(y_true))
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    rng = np.random.default_rng(seed)
    stats = []
    for _ in range(resamples):
        idx = rng.integers(0, len(y_true), len(y_true))
        stats.append(f1_score(y_true[idx], y_pred[idx], labels=labels, average="macro",
                              zero_division=0))
    point = f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)
    return point, float(np.percentile(stats, 2.5)), float(np.percentile(stats, 97.5))
