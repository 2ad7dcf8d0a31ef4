"""The shared shape of the cross-validated CPU baselines (``majority``, ``egemaps-logreg``).

They are whole-collection backends: the runner hands them every request of a run at once, they
build the folds of the chosen protocol from the requests' records and answer each clip with
the label name a model trained without that clip's speaker (or corpus) predicts.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from cameo_bench.backends.base import Backend, GenerationConfig, Request
from cameo_bench.baseline.crossval import PROTOCOLS, FitPredict
from cameo_bench.errors import CameoError, UnknownNameError

__all__ = ["CrossValidatedBackend", "DEFAULT_FOLDS", "DEFAULT_PROTOCOL"]

#: The defaults of the options every cross-validated baseline's factory takes.
DEFAULT_PROTOCOL = "speaker-cv"
DEFAULT_FOLDS = 5


class CrossValidatedBackend(Backend):
    """A baseline answered by cross-validation; subclasses give ``features`` and ``model``.

    Options: ``protocol`` (``speaker-cv`` default, or ``cross-corpus``) and ``folds`` (5).
    After :meth:`generate`, ``notes`` lists the fallbacks taken (one line each).
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

    def features(self, requests: Sequence[Request]) -> np.ndarray:
        """One feature row per request (the majority baseline needs none)."""
        return np.zeros((len(requests), 0))

    @abstractmethod
    def model(self) -> FitPredict:
        """The classifier trained on each training fold."""

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """Answer every request with a label name predicted without its speaker (or corpus).
        ``config`` is ignored: the answers do not depend on temperature."""
        if not requests:
            return []
        X = self.features(requests)
        outcome = PROTOCOLS[self.protocol](
            [r.record for r in requests], [r.labels for r in requests], X, self.model(),
            self.n_folds,
        )
        short = int(np.isnan(X).all(axis=1).sum()) if X.shape[1] else 0
        self.notes = ([f"{short} clip(s) too short for features: imputed with the training "
                       "folds' feature means"] if short else []) + outcome.notes
        return outcome.answers
