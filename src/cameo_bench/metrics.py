"""Confusion counts, computed once, and every metric as a view of them (SPEC §2 "Metrics").

A confusion array has shape ``(..., K, K + 1)``: rows are gold classes, columns predicted
classes, and the last column counts ``unparsed`` answers (never a class, always an error). The
leading dimensions batch many matrices at once (bootstrap resamples), so every view below is
vectorized: it maps ``(..., K, K+1)`` to ``(...)`` or, per class, to ``(..., K)``. Ratios whose
denominator is 0 are 0 (scikit-learn's ``zero_division=0``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from cameo_bench.errors import UnknownLabelError
from cameo_bench.records import UNPARSED

__all__ = [
    "Confusion", "confusion", "accuracy", "precision", "recall", "f1", "support", "macro_f1",
    "weighted_f1", "unparsed_rate", "unparsed_rate_per_class", "METRICS", "CLASS_METRICS",
]


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros(np.broadcast_shapes(num.shape, den.shape)),
                     where=den != 0)


def _diag(counts: np.ndarray) -> np.ndarray:
    k = counts.shape[-2]
    return counts[..., np.arange(k), np.arange(k)]


def support(counts: np.ndarray) -> np.ndarray:
    """Gold count per class, ``(..., K)``."""
    return counts.sum(axis=-1)


def accuracy(counts: np.ndarray) -> np.ndarray:
    """Share of clips whose answer is the gold label (unparsed answers count as wrong)."""
    return _div(_diag(counts).sum(axis=-1), counts.sum(axis=(-2, -1)))


def precision(counts: np.ndarray) -> np.ndarray:
    """Per-class precision ``tp / predicted``, ``(..., K)``."""
    return _div(_diag(counts), counts[..., :-1].sum(axis=-2))


def recall(counts: np.ndarray) -> np.ndarray:
    """Per-class recall ``tp / gold``, ``(..., K)``."""
    return _div(_diag(counts), support(counts))


def f1(counts: np.ndarray) -> np.ndarray:
    """Per-class F1 ``2tp / (2tp + fp + fn)`` (the harmonic mean of precision and recall; 0 when
    both are 0), ``(..., K)``."""
    tp = _diag(counts)
    return _div(2 * tp, counts[..., :-1].sum(axis=-2) + support(counts))


def macro_f1(counts: np.ndarray) -> np.ndarray:
    """Unweighted mean of per-class F1 over the K classes in scope."""
    return f1(counts).mean(axis=-1)


def weighted_f1(counts: np.ndarray) -> np.ndarray:
    """Per-class F1 weighted by gold support."""
    sup = support(counts)
    return _div((f1(counts) * sup).sum(axis=-1), sup.sum(axis=-1))


def unparsed_rate(counts: np.ndarray) -> np.ndarray:
    """Share of clips whose answer mapped to no offered label."""
    return _div(counts[..., -1].sum(axis=-1), counts.sum(axis=(-2, -1)))


def unparsed_rate_per_class(counts: np.ndarray) -> np.ndarray:
    """Per-class share of the gold class's clips whose answer was unparsed, ``(..., K)``."""
    return _div(counts[..., -1], support(counts))


#: Scope-level metrics by name (as in scores.json), each ``(..., K, K+1) -> (...)``.
METRICS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "accuracy": accuracy,
    "macro_f1": macro_f1,
    "weighted_f1": weighted_f1,
    "unparsed_rate": unparsed_rate,
}
#: Per-class metrics by name (scope ``emotion`` in scores.json), each ``(..., K, K+1) -> (..., K)``.
CLASS_METRICS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "f1": f1,
    "unparsed_rate": unparsed_rate_per_class,
}


@dataclass(frozen=True)
class Confusion:
    """One confusion matrix with its class names; the metrics are views of ``counts``."""

    classes: tuple[str, ...]
    counts: np.ndarray  # (K, K+1), last column = unparsed

    @property
    def n(self) -> int:
        """Number of clips counted."""
        return int(self.counts.sum())

    def metric(self, name: str) -> float:
        """A scope-level metric of :data:`METRICS` by name."""
        return float(METRICS[name](self.counts))

    def per_class(self, view: Callable[[np.ndarray], np.ndarray] = f1) -> dict[str, float]:
        """A per-class view (``f1``, ``precision``, ``recall``) as ``{class: value}``."""
        return dict(zip(self.classes, view(self.counts).tolist(), strict=True))


def confusion(gold: Sequence[str], pred: Sequence[str], classes: Sequence[str]) -> Confusion:
    """Count (gold, predicted) pairs over ``classes``; ``pred`` may hold ``UNPARSED``.

    A gold label outside ``classes``, or a prediction outside ``classes`` and not ``UNPARSED``,
    raises :class:`UnknownLabelError`.
    """
    classes = tuple(classes)
    index = {c: i for i, c in enumerate(classes)}
    col = dict(index, **{UNPARSED: len(classes)})
    k = len(classes)
    try:
        g = np.fromiter((index[x] for x in gold), dtype=np.int64, count=len(gold))
    except KeyError as exc:
        raise UnknownLabelError(exc.args[0], classes, "gold") from None
    try:
        p = np.fromiter((col[x] for x in pred), dtype=np.int64, count=len(pred))
    except KeyError as exc:
        raise UnknownLabelError(exc.args[0], classes, "prediction") from None
    counts = np.bincount(g * (k + 1) + p, minlength=k * (k + 1)).reshape(k, k + 1)
    return Confusion(classes, counts)
