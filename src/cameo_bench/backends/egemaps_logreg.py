"""``egemaps-logreg``: eGeMAPSv02 functionals + standardized logistic regression, CPU only.

Trained and answered by cross-validation (``cameo_bench.baseline.crossval``): speaker-
independent folds within each corpus (default), or ``protocol=cross-corpus``. Features are
streamed from the collection by worker processes and cached per clip
(``cameo_bench.baseline.features``); the answers are cached per (clips, settings) in
``<feature cache>/answers`` (``cameo_bench.baseline.answer_cache``). Options: ``protocol``,
``folds`` (5), ``C`` (1.0, inverse regularization), ``workers`` (feature processes, 2),
``cache_dir`` (feature cache folder), ``progress`` (show a progress bar, true).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cameo_bench.backends.base import Request
from cameo_bench.backends.cross_validated import (
    DEFAULT_FOLDS,
    DEFAULT_PROTOCOL,
    CrossValidatedBackend,
)
from cameo_bench.baseline.answer_cache import AnswerCache
from cameo_bench.baseline.crossval import FitPredict
from cameo_bench.baseline.features import (
    collection_features,
    egemaps_rows,
    feature_cache_dir,
    opensmile_version,
)
from cameo_bench.baseline.models import fit_predict_logreg
from cameo_bench.progress import progress

if TYPE_CHECKING:
    from cameo_bench.collection.reader import Clip, Collection

__all__ = ["EgemapsLogregBackend", "create"]


class EgemapsLogregBackend(CrossValidatedBackend):
    """eGeMAPS + logistic regression answered by cross-validation."""

    name = "egemaps-logreg"
    default_model = "egemaps-logreg"
    runtime_options = frozenset({"workers", "cache_dir", "progress"})

    def __init__(self, model: str, *, protocol: str, folds: int, C: float, workers: int,
                 cache_dir: str | None, progress: bool):
        super().__init__(model, protocol=protocol, folds=folds)
        self.C, self.workers, self.cache_dir, self.progress = C, workers, cache_dir, progress
        import sklearn

        self.revision = (f"egemaps-v02;opensmile-{opensmile_version()};"
                         f"sklearn-{sklearn.__version__};C={self.C};"
                         f"protocol={self.protocol};folds={self.n_folds}")

    def features(self, collection: Collection, clips: Sequence[Clip],
                 stop: threading.Event | None) -> np.ndarray | None:
        """eGeMAPS rows (cached per clip; NaN rows for clips too short), or None if stopped."""
        with progress(len(clips), "eGeMAPS features", enabled=self.progress) as tracker:
            return collection_features(
                collection, clips, cache_dir=self.cache_dir, workers=self.workers, stop=stop,
                on_progress=lambda done, total: tracker.update(completed=done),
            )

    def request_features(self, requests: Sequence[Request]) -> np.ndarray:
        """eGeMAPS rows of the requests' audio, extracted in this process (not cached)."""
        return egemaps_rows(r.audio for r in requests)

    def settings(self) -> dict[str, Any]:
        """The common settings and the numerical libraries the classifier runs on."""
        import scipy

        return {**super().settings(), "numpy": np.__version__, "scipy": scipy.__version__}

    def answer_cache(self) -> AnswerCache:
        """``answers/`` in the feature cache folder."""
        return AnswerCache(Path(self.cache_dir or feature_cache_dir()) / "answers")

    def model(self) -> FitPredict:
        """Standardized logistic regression with inverse regularization ``C``."""
        return functools.partial(fit_predict_logreg, C=self.C)


def create(
    model: str = "egemaps-logreg",
    *,
    protocol: str = DEFAULT_PROTOCOL,
    folds: int = DEFAULT_FOLDS,
    C: float = 1.0,
    workers: int = 2,
    cache_dir: str | None = None,
    progress: bool = True,
) -> EgemapsLogregBackend:
    """The ``egemaps-logreg`` backend (options in the module docstring)."""
    return EgemapsLogregBackend(model, protocol=protocol, folds=folds, C=C, workers=workers,
                                cache_dir=cache_dir, progress=progress)
