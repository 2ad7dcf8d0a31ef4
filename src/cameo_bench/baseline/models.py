"""The classifiers a cross-validated baseline trains on each training fold.

A model is ``fit_predict(X_train, y_train, X_test, allowed) -> labels``: train on the rows of
``X_train`` labelled ``y_train`` and answer one label of ``allowed`` per row of ``X_test``.
Both handle a training set of one class by answering that class (the caller reports it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

__all__ = ["majority_label", "fit_predict_majority", "fit_predict_logreg"]


def majority_label(y_train: Sequence[str], allowed: Sequence[str]) -> str | None:
    """The most frequent label of ``y_train`` among ``allowed`` (ties: alphabetical first);
    ``None`` when no training label is allowed."""
    counts = Counter(y for y in y_train if y in set(allowed))
    if not counts:
        return None
    return min(counts, key=lambda label: (-counts[label], label))


def fit_predict_majority(
    X_train: np.ndarray, y_train: Sequence[str], X_test: np.ndarray, allowed: Sequence[str]
) -> list[str]:
    """Answer the training folds' most frequent allowed label for every test clip."""
    label = majority_label(y_train, allowed) or ""
    return [label] * len(X_test)


def fit_predict_logreg(
    X_train: np.ndarray,
    y_train: Sequence[str],
    X_test: np.ndarray,
    allowed: Sequence[str],
    *,
    C: float = 1.0,
) -> list[str]:
    """Mean-impute (NaN rows of too-short clips), standardize and fit a multinomial logistic
    regression; answer the most probable label among ``allowed``.

    Imputation and scaling statistics come from the training rows only (a feature missing in
    every training row is dropped by the imputer). Fitted with one BLAS/OpenMP thread: on
    matrices this small, threads only wait for each other (a fold took 29 s with two threads on
    a busy 2-core machine, 0.4 s with one), and the arithmetic stays the same whatever the
    machine's core count.
    """
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    keep = [i for i, y in enumerate(y_train) if y in set(allowed)]
    y = np.asarray(y_train, dtype=object)[keep]
    classes = sorted(set(y))
    if len(classes) < 2:
        return [classes[0] if classes else ""] * len(X_test)
    X = X_train[keep]
    model = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(),
                          LogisticRegression(C=C, max_iter=2000))
    with threadpool_limits(1):
        model.fit(X, y.astype(str))
        return [str(label) for label in model.predict(X_test)]
