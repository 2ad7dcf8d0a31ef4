"""The shared shape of the cross-validated CPU baselines (``majority``, ``egemaps-logreg``).

They are whole-collection backends: the runner hands them the collection and every clip of the
run (before sharding) at once; they build the folds of the chosen protocol from all of those
clips and answer each with the label name a model trained without that clip's speaker (or
corpus) predicts. The answers are a function of that set of clips and the settings only: clips
are put in ``file_id`` order before anything is trained, and a backend with an answer cache
computes them once, so a resumed or sharded run writes the same answers as an uninterrupted one.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from cameo_bench.backends.base import Backend, GenerationConfig, Request
from cameo_bench.baseline.crossval import PROTOCOLS, FitPredict
from cameo_bench.errors import CameoError, UnknownNameError
from cameo_bench.prompts import offered_labels
from cameo_bench.records import ClipRecord

if TYPE_CHECKING:
    from cameo_bench.baseline.answer_cache import AnswerCache
    from cameo_bench.collection.reader import Clip, Collection

__all__ = ["CrossValidatedBackend", "DEFAULT_FOLDS", "DEFAULT_PROTOCOL"]

#: The defaults of the options every cross-validated baseline's factory takes.
DEFAULT_PROTOCOL = "speaker-cv"
DEFAULT_FOLDS = 5


class CrossValidatedBackend(Backend):
    """A baseline answered by cross-validation; subclasses give ``features`` and ``model``.

    Options: ``protocol`` (``speaker-cv`` default, or ``cross-corpus``) and ``folds`` (5).
    After answering, ``notes`` lists the fallbacks taken (one line each).
    """

    whole_collection: ClassVar[bool] = True
    #: the registry name, and the model id of its default-protocol runs (other protocols:
    #: ``<name>-<protocol>``); a model name other than ``name`` given by the user replaces both.
    name: ClassVar[str]
    default_model: ClassVar[str]

    def __init__(self, model: str, *, protocol: str, folds: int):
        if protocol not in PROTOCOLS:
            raise UnknownNameError("protocol", protocol, PROTOCOLS)
        if folds < 2:
            raise CameoError(f"backend option folds={folds}: need at least 2 folds")
        self.protocol, self.n_folds = protocol, folds
        own = bool(model) and model != self.name
        if self.protocol == "speaker-cv":
            self.model_id = model if own else self.default_model
        else:
            self.model_id = f"{model if own else self.name}-{self.protocol}"
        self.notes: list[str] = []

    def features(self, collection: Collection, clips: Sequence[Clip],
                 stop: threading.Event | None) -> np.ndarray | None:
        """One feature row per clip of ``collection``, or None when ``stop`` was set first. The
        majority baseline needs none and reads no audio."""
        return np.zeros((len(clips), 0))

    def request_features(self, requests: Sequence[Request]) -> np.ndarray:
        """One feature row per request, from the audio it carries."""
        return np.zeros((len(requests), 0))

    def answer_cache(self) -> AnswerCache | None:
        """Where answers are kept between runs; None: computed each time (cheap to compute)."""
        return None

    @abstractmethod
    def model(self) -> FitPredict:
        """The classifier trained on each training fold."""

    def settings(self) -> dict[str, Any]:
        """What besides the clips decides the answers (the answer cache's key): the backend,
        its revision (options and library versions) and the version of this code."""
        from cameo_bench import __version__

        return {"backend": self.name, "model": self.model_id, "revision": self.revision,
                "cameo_bench": __version__}

    def answer_collection(self, collection: Collection, clips: Sequence[Clip],
                          stop: threading.Event | None = None) -> list[str] | None:
        """Answer every clip of ``clips`` with a label name predicted without its speaker (or
        corpus), trained on all of ``clips``; None when ``stop`` was set first. Cached answers
        are read (see :mod:`cameo_bench.baseline.answer_cache`)."""
        if not clips:
            return []
        records = [c.record for c in clips]
        labels = [offered_labels(c.split) for c in clips]
        cache = self.answer_cache()
        if cache is None:
            X = self.features(collection, clips, stop)
            return None if X is None else self._cross_validate(records, labels, X)
        from cameo_bench.baseline.answer_cache import answers_key

        key = answers_key(self.settings(), records, labels)
        file_ids = [r.file_id for r in records]
        with cache.computing(key, stop) as mine:
            if not mine:
                return None
            stored = cache.read(key, file_ids)
            if stored is not None:
                answers, self.notes = stored
                return answers
            X = self.features(collection, clips, stop)
            if X is None:
                return None
            answers = self._cross_validate(records, labels, X)
            cache.write(key, file_ids, answers, self.notes)
            return answers

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """Answer exactly ``requests`` (trained on them, from their audio; nothing cached).
        ``config`` is ignored: the answers do not depend on temperature. The runner uses
        :meth:`answer_collection` instead."""
        if not requests:
            return []
        return self._cross_validate([r.record for r in requests], [r.labels for r in requests],
                                    self.request_features(requests))

    def _cross_validate(self, records: Sequence[ClipRecord], labels: Sequence[Sequence[str]],
                        X: np.ndarray) -> list[str]:
        """The protocol's answers, computed on the clips in ``file_id`` order (so they do not
        depend on the order the clips came in); sets ``notes``."""
        order = sorted(range(len(records)), key=lambda i: records[i].file_id)
        X = X[order]
        outcome = PROTOCOLS[self.protocol](
            [records[i] for i in order], [labels[i] for i in order], X, self.model(),
            self.n_folds,
        )
        short = int(np.isnan(X).all(axis=1).sum()) if X.shape[1] else 0
        self.notes = ([f"{short} clip(s) too short for features: imputed with the training "
                       "folds' feature means"] if short else []) + outcome.notes
        answers = [""] * len(records)
        for k, i in enumerate(order):
            answers[i] = outcome.answers[k]
        return answers
