"""Confusion counts, computed once, and every metric as a view of them (SPEC §2 "Metrics").

A confusion array has shape ``(..., K, K + 1)``: rows are gold classes, columns predicted
classes, and the last column counts ``unparsed`` answers (never a class, always an error). The
leading dimensions batch many matrices at once (bootstrap resamples), so every view below is
vectorized: it maps ``(..., K, K+1)`` to ``(...)`` or, per class, to ``(..., K)``. Ratios whose
denominator is 0 are 0 (scikit-learn's ``zero_division=0``).

Labels become counts here only: :class:`LabelCodes` encodes clips' gold labels, offered label
sets and answers as integer codes, and :class:`ScopeCounter` counts one scope's clips in that
scope's own matrix. Each metric is a :class:`MetricSpec` (name, title, view, per class or not).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from cameo_bench.errors import UnknownLabelError
from cameo_bench.records import UNPARSED

__all__ = [
    "Confusion", "confusion", "LabelCodes", "ScopeCounter", "MetricSpec", "accuracy",
    "precision", "recall", "f1", "support", "macro_f1", "weighted_f1", "unparsed_rate",
    "unparsed_rate_per_class", "METRICS", "CLASS_METRICS", "HEADLINE_METRICS",
]


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros(np.broadcast_shapes(num.shape, den.shape)),
                     where=den != 0)


def _sum(counts: np.ndarray, axis: int) -> np.ndarray:
    """``counts.sum(axis=axis)`` for ``axis`` -1 or -2. Integer counts are summed by einsum: the
    same integers, ~10x faster than ``sum`` over the short trailing axes of a bootstrap's
    ``(B, K, K+1)`` counts; float counts keep ``sum`` (and its order of additions)."""
    if counts.dtype.kind not in "iu":
        return counts.sum(axis=axis)
    return np.einsum("...i->..." if axis == -1 else "...ij->...j", counts)


def _diag(counts: np.ndarray) -> np.ndarray:
    k = counts.shape[-2]
    return counts[..., np.arange(k), np.arange(k)]


def support(counts: np.ndarray) -> np.ndarray:
    """Gold count per class, ``(..., K)``."""
    return _sum(counts, -1)


def accuracy(counts: np.ndarray) -> np.ndarray:
    """Share of clips whose answer is the gold label (unparsed answers count as wrong)."""
    return _div(_sum(_diag(counts), -1), counts.sum(axis=(-2, -1)))


def precision(counts: np.ndarray) -> np.ndarray:
    """Per-class precision ``tp / predicted``, ``(..., K)``."""
    return _div(_diag(counts), _sum(counts[..., :-1], -2))


def recall(counts: np.ndarray) -> np.ndarray:
    """Per-class recall ``tp / gold``, ``(..., K)``."""
    return _div(_diag(counts), support(counts))


def f1(counts: np.ndarray) -> np.ndarray:
    """Per-class F1 ``2tp / (2tp + fp + fn)`` (the harmonic mean of precision and recall; 0 when
    both are 0), ``(..., K)``."""
    tp = _diag(counts)
    return _div(2 * tp, _sum(counts[..., :-1], -2) + support(counts))


def macro_f1(counts: np.ndarray) -> np.ndarray:
    """Unweighted mean of per-class F1 over the K classes in scope."""
    return f1(counts).mean(axis=-1)


def weighted_f1(counts: np.ndarray) -> np.ndarray:
    """Per-class F1 weighted by gold support."""
    sup = support(counts)
    return _div((f1(counts) * sup).sum(axis=-1), _sum(sup, -1))


def unparsed_rate(counts: np.ndarray) -> np.ndarray:
    """Share of clips whose answer mapped to no offered label."""
    return _div(_sum(counts[..., -1], -1), counts.sum(axis=(-2, -1)))


def unparsed_rate_per_class(counts: np.ndarray) -> np.ndarray:
    """Per-class share of the gold class's clips whose answer was unparsed, ``(..., K)``."""
    return _div(counts[..., -1], support(counts))


@dataclass(frozen=True)
class MetricSpec:
    """A metric as data: ``name`` (as in scores.json), ``title`` (as in table titles:
    ``macro-F1``), ``header`` (a column heading; the title unless shorter), ``function`` (a view
    of confusion counts: ``(..., K, K+1) -> (...)``, or ``(..., K)`` when ``per_class``) and
    whether a higher value is better (what a paired comparison can call "better")."""

    name: str
    title: str
    function: Callable[[np.ndarray], np.ndarray]
    per_class: bool = False
    header: str = ""
    higher_is_better: bool = True

    def __post_init__(self) -> None:
        if not self.header:
            object.__setattr__(self, "header", self.title)


#: Scope-level metrics by name, in score-file order.
METRICS: dict[str, MetricSpec] = {m.name: m for m in (
    MetricSpec("accuracy", "accuracy", accuracy),
    MetricSpec("macro_f1", "macro-F1", macro_f1),
    MetricSpec("weighted_f1", "weighted-F1", weighted_f1),
    MetricSpec("unparsed_rate", "unparsed rate", unparsed_rate, header="unparsed",
               higher_is_better=False),
)}
#: Per-class metrics by name (scope ``emotion`` in scores.json), in score-file order.
CLASS_METRICS: dict[str, MetricSpec] = {m.name: m for m in (
    MetricSpec("f1", "F1", f1, per_class=True),
    MetricSpec("unparsed_rate", "unparsed rate", unparsed_rate_per_class, per_class=True,
               header="unparsed", higher_is_better=False),
)}
#: The scope-level metrics in the paper's column order (Table 4): the columns of every report.
HEADLINE_METRICS: tuple[str, ...] = ("macro_f1", "weighted_f1", "accuracy", "unparsed_rate")


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
        return float(METRICS[name].function(self.counts))

    def per_class(self, view: Callable[[np.ndarray], np.ndarray] = f1) -> dict[str, float]:
        """A per-class view (``f1``, ``precision``, ``recall``) as ``{class: value}``."""
        return dict(zip(self.classes, view(self.counts).tolist(), strict=True))


def _encode(labels: Sequence[Hashable], index: dict, classes: Sequence[str],
            role: str) -> np.ndarray:
    try:  # map over the bound lookup: no Python frame per label
        return np.fromiter(map(index.__getitem__, labels), dtype=np.int64, count=len(labels))
    except KeyError as exc:
        raise UnknownLabelError(exc.args[0], classes, role) from None


@dataclass(frozen=True)
class LabelCodes:
    """The label encoder: n clips' labels as integer codes over one sorted class set.

    ``gold`` holds each clip's gold class code, ``offered`` ``(n, K)`` marks the labels offered
    to each clip and ``label_set`` numbers each clip's offered set among the distinct sets
    (sorted). Answers are coded by :meth:`answers` (a class code, or K for ``unparsed``); counts
    come from :meth:`scope`.
    """

    classes: tuple[str, ...]
    gold: np.ndarray
    offered: np.ndarray
    label_set: np.ndarray

    @classmethod
    def encode(cls, gold: Sequence[str], label_sets: Sequence[Sequence[str]],
               classes: Sequence[str] | None = None) -> LabelCodes:
        """Code ``gold`` and the offered ``label_sets`` (one per clip) over ``classes`` (default:
        every offered label, sorted). A label outside ``classes`` raises
        :class:`UnknownLabelError` naming its role (``gold`` or ``offered labels``)."""
        offered = list(map(tuple, label_sets))
        sets = {ls: i for i, ls in enumerate(sorted(set(offered)))}  # few distinct sets
        classes = (tuple(sorted({c for ls in sets for c in ls})) if classes is None
                   else tuple(classes))
        index = {c: i for i, c in enumerate(classes)}
        codes = _encode(gold, index, classes, "gold")
        set_mask = np.zeros((len(sets), len(classes)), dtype=bool)
        for ls, i in sets.items():
            set_mask[i, _encode(ls, index, classes, "offered labels")] = True
        set_id = _encode(offered, sets, classes, "offered labels")
        return cls(classes, codes, set_mask[set_id], set_id)

    def answers(self, pred: Sequence[str]) -> np.ndarray:
        """Codes of answers (one per clip): a class's code, ``K`` for ``UNPARSED``; anything else
        raises :class:`UnknownLabelError` (role ``prediction``)."""
        index = {c: i for i, c in enumerate(self.classes)}
        index[UNPARSED] = len(self.classes)
        return _encode(pred, index, self.classes, "prediction")

    def scope(self, idx: np.ndarray) -> ScopeCounter:
        """The counter of the clips ``idx``: its classes are the labels offered to any of them."""
        return ScopeCounter(self, idx, np.flatnonzero(self.offered[idx].any(axis=0)))


class ScopeCounter:
    """The per-scope counter: clips ``idx`` of a :class:`LabelCodes` counted in the scope's own
    confusion matrix, ``shape = (K_s, K_s + 1)``: rows are the scope's classes (codes
    ``class_codes``, sorted), columns the same classes then ``unparsed``. Answers are given as
    codes for all clips (:meth:`LabelCodes.answers`); the counter picks its own."""

    def __init__(self, codes: LabelCodes, idx: np.ndarray, class_codes: np.ndarray):
        k, k_s = len(codes.classes), len(class_codes)
        self.idx, self.class_codes = np.asarray(idx), np.asarray(class_codes)
        self.classes: tuple[str, ...] = tuple(codes.classes[i] for i in class_codes)
        self.shape = (k_s, k_s + 1)
        self._all_classes = codes.classes
        self._column = np.full(k + 1, -1, dtype=np.int64)
        self._column[class_codes], self._column[k] = np.arange(k_s), k_s
        self.rows = self._local(codes.gold, "gold")  # each clip's gold row

    def _local(self, codes: np.ndarray, role: str) -> np.ndarray:
        local = self._column[codes[self.idx]]
        if len(local) and local.min() < 0:
            code = int(codes[self.idx][np.argmin(local)])
            label = self._all_classes[code] if code < len(self._all_classes) else UNPARSED
            raise UnknownLabelError(label, self.classes, role)
        return local

    def cells(self, answers: np.ndarray) -> np.ndarray:
        """Each of the scope's clips as its flat cell ``row * (K_s + 1) + column``."""
        return self.rows * self.shape[1] + self._local(answers, "prediction")

    def counts(self, answers: np.ndarray) -> np.ndarray:
        """The scope's confusion counts ``(K_s, K_s + 1)``."""
        size = self.shape[0] * self.shape[1]
        return np.bincount(self.cells(answers), minlength=size).reshape(self.shape)

    def support(self) -> np.ndarray:
        """Gold clips per class of the scope, ``(K_s,)``."""
        return np.bincount(self.rows, minlength=self.shape[0])


def confusion(gold: Sequence[str], pred: Sequence[str], classes: Sequence[str]) -> Confusion:
    """Count (gold, predicted) pairs over ``classes``; ``pred`` may hold ``UNPARSED``.

    A gold label outside ``classes``, or a prediction outside ``classes`` and not ``UNPARSED``,
    raises :class:`UnknownLabelError`.
    """
    codes = LabelCodes.encode(gold, [classes] * len(gold), classes)
    counter = ScopeCounter(codes, np.arange(len(gold)), np.arange(len(codes.classes)))
    return Confusion(codes.classes, counter.counts(codes.answers(pred)))
