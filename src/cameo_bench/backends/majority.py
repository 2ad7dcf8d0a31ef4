"""``majority``: per corpus, the most frequent label of the training folds (no audio used).

Computed inside the same cross-validation folds as ``egemaps-logreg`` (speaker-independent
within each corpus by default, or ``protocol=cross-corpus``), so it is the reference a trained
baseline must beat, never a label frequency peeked from the test clips.
"""

from __future__ import annotations

from cameo_bench.backends.cross_validated import (
    DEFAULT_FOLDS,
    DEFAULT_PROTOCOL,
    CrossValidatedBackend,
)
from cameo_bench.baseline.crossval import FitPredict
from cameo_bench.baseline.models import fit_predict_majority

__all__ = ["MajorityBackend", "create"]


class MajorityBackend(CrossValidatedBackend):
    """Answers each test fold with its training folds' most frequent offered label."""

    name = "majority"
    default_model = "majority-cv"  # not "majority": the scorer's own reference row has that name

    def __init__(self, model: str, *, protocol: str, folds: int):
        super().__init__(model, protocol=protocol, folds=folds)
        self.revision = f"protocol={self.protocol};folds={self.n_folds}"

    def model(self) -> FitPredict:
        """Most frequent training label (ties: alphabetical first)."""
        return fit_predict_majority


def create(model: str = "majority", *, protocol: str = DEFAULT_PROTOCOL,
           folds: int = DEFAULT_FOLDS) -> MajorityBackend:
    """The ``majority`` backend; options: ``protocol``, ``folds``."""
    return MajorityBackend(model, protocol=protocol, folds=folds)
