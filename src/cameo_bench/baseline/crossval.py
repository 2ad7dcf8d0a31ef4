"""Evaluation protocols for trained baselines: CAMEO has no train split, so every answer comes
from a model that never saw the clip's speaker (or corpus).

- ``speaker-cv`` (default): within each corpus, grouped folds (:mod:`.folds`); each fold is
  answered by a model trained on the corpus's other folds.
- ``cross-corpus``: each corpus is answered by a model trained on all other corpora, on their
  clips whose label the held-out corpus offers (so answers stay within its label set).

Where no model can be trained the protocol answers ``""`` (scored as unparsed, i.e. wrong) and
says so in a note; a training set of one class answers that class, also with a note.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from cameo_bench.baseline.folds import assign_folds
from cameo_bench.errors import CameoError
from cameo_bench.records import ClipRecord

__all__ = ["Outcome", "PROTOCOLS", "speaker_cv", "cross_corpus"]

FitPredict = Callable[[np.ndarray, Sequence[str], np.ndarray, Sequence[str]], list[str]]


@dataclass
class Outcome:
    """One answer per clip plus notes a person should read (fallbacks taken, per corpus)."""

    answers: list[str]
    notes: list[str] = field(default_factory=list)


def _by_corpus(records: Sequence[ClipRecord]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        out.setdefault(r.dataset, []).append(i)
    return dict(sorted(out.items()))


def _answer(model: FitPredict, X: np.ndarray, y: list[str], train: list[int], test: list[int],
            allowed: Sequence[str], where: str, notes: list[str]) -> list[str]:
    y_train = [y[i] for i in train if y[i] in set(allowed)]
    classes = sorted(set(y_train))
    if not classes:
        notes.append(f"{where}: no training clip with an offered label; answered '' (wrong)")
        return [""] * len(test)
    if len(classes) == 1:
        notes.append(f"{where}: training data has one class ({classes[0]}); answered it")
    return model(X[train], [y[i] for i in train], X[test], allowed)


def speaker_cv(records: Sequence[ClipRecord], labels: Sequence[Sequence[str]], X: np.ndarray,
               model: FitPredict, n_folds: int = 5) -> Outcome:
    """Answer every clip from a model trained on the other folds of its own corpus."""
    y = [r.emotion for r in records]
    out = Outcome([""] * len(records))
    for corpus, idx in _by_corpus(records).items():
        folds = assign_folds([records[i] for i in idx], n_folds)
        if folds.grouping != "speaker":
            out.notes.append(f"{corpus}: fewer than two speakers; folds group clips by "
                             f"{folds.grouping} instead (not speaker-independent)")
        if folds.n_folds < 2:
            out.notes.append(f"{corpus}: only one group of clips, no cross-validation "
                             "possible; answered '' (wrong)")
            continue
        for k in range(folds.n_folds):
            train, test = folds.train_test(k)
            train, test = [idx[i] for i in train], [idx[i] for i in test]
            answers = _answer(model, X, y, train, test, labels[test[0]],
                              f"{corpus} fold {k}", out.notes)
            for i, a in zip(test, answers, strict=True):
                out.answers[i] = a
    return out


def cross_corpus(records: Sequence[ClipRecord], labels: Sequence[Sequence[str]], X: np.ndarray,
                 model: FitPredict, n_folds: int = 5) -> Outcome:
    """Answer every corpus from a model trained on all the other corpora (``n_folds`` unused)."""
    corpora = _by_corpus(records)
    if len(corpora) < 2:
        raise CameoError("the cross-corpus protocol needs clips of at least two corpora; "
                         "use the default speaker-cv protocol for one corpus")
    y = [r.emotion for r in records]
    out = Outcome([""] * len(records))
    for corpus, test in corpora.items():
        train = [i for other, idx in corpora.items() if other != corpus for i in idx]
        answers = _answer(model, X, y, train, test, labels[test[0]], corpus, out.notes)
        for i, a in zip(test, answers, strict=True):
            out.answers[i] = a
    return out


#: Protocol name → function ``(records, offered labels per clip, X, model, n_folds) -> Outcome``.
PROTOCOLS: dict[str, Callable[..., Outcome]] = {
    "speaker-cv": speaker_cv,
    "cross-corpus": cross_corpus,
}
