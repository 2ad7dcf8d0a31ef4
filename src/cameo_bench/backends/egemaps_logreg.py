"""``egemaps-logreg``: eGeMAPSv02 functionals + standardized logistic regression, CPU only.

Trained and answered by cross-validation (``cameo_bench.baseline.crossval``): speaker-
independent folds within each corpus (default), or ``protocol=cross-corpus``. Features are
cached per ``file_id`` (``cameo_bench.baseline.features``). Options: ``protocol``, ``folds``
(5), ``C`` (1.0, inverse regularization), ``workers`` (feature processes, 2),
``cache_dir`` (feature cache folder), ``progress`` (show a progress bar, true).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from cameo_bench.backends.base import Request
from cameo_bench.backends.cross_validated import (
    DEFAULT_FOLDS,
    DEFAULT_PROTOCOL,
    CrossValidatedBackend,
)
from cameo_bench.baseline.crossval import FitPredict
from cameo_bench.baseline.features import extract_egemaps, opensmile_version
from cameo_bench.baseline.models import fit_predict_logreg
from cameo_bench.progress import progress

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

    def features(self, requests: Sequence[Request]) -> np.ndarray:
        """eGeMAPS rows (cached per file_id; NaN rows for clips too short)."""
        items = [(r.record.file_id, r.audio) for r in requests]
        with progress(len(items), "eGeMAPS features", enabled=self.progress) as tracker:
            return extract_egemaps(
                items, cache_dir=self.cache_dir, workers=self.workers,
                on_progress=lambda done, total: tracker.update(completed=done),
            )

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
