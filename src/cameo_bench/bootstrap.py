"""Vectorized bootstrap of confusion counts: all resamples at once, no loop per resample.

Resampling the n clips of a scope with replacement only matters through how many times each
kind of clip is drawn; the counts of the T kinds in one resample are multinomial(n, share of
each kind). So a whole bootstrap is one ``Generator.multinomial(n, shares, size=B)`` call over
the kinds present (the non-empty confusion cells of a run; (cell of A, cell of B) pairs for a
paired test; (gold, offered label set) kinds for the chance reference), followed by a sum of
the kinds' contributions. This is exactly the distribution of resampling clip indices.

Intervals are percentile intervals; generators are seeded from ``(seed, keys...)`` so a scope's
resamples do not depend on which other scopes are computed or in which order.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["rng_for", "draw_kinds", "sum_by_cell", "bootstrap_confusions", "percentile_interval"]


def rng_for(seed: int, *keys: str) -> np.random.Generator:
    """A generator determined by ``seed`` and the string ``keys`` (e.g. scope and group)."""
    words = [zlib.crc32(k.encode("utf-8")) for k in keys]
    return np.random.default_rng(np.random.SeedSequence([seed, *words]))


def draw_kinds(kind_counts: np.ndarray, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """How often each kind is drawn in each of ``n_resamples`` resamples of the ``n =
    kind_counts.sum()`` clips: int array ``(n_resamples, T)``, each row summing to n."""
    kind_counts = np.asarray(kind_counts, dtype=np.int64)
    n = int(kind_counts.sum())
    if n == 0:
        return np.zeros((n_resamples, len(kind_counts)), dtype=np.int64)
    return rng.multinomial(n, kind_counts / n, size=n_resamples)


def sum_by_cell(draws: np.ndarray, cell_of_kind: np.ndarray, n_cells: int) -> np.ndarray:
    """Add the draws of kinds that fall in the same cell: ``(B, T) -> (B, n_cells)``."""
    order = np.argsort(cell_of_kind, kind="stable")
    cells = cell_of_kind[order]
    starts = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]])
    out = np.zeros((draws.shape[0], n_cells), dtype=draws.dtype)
    if len(cells):
        out[:, cells[starts]] = np.add.reduceat(draws[:, order], starts, axis=1)
    return out


def bootstrap_confusions(
    counts: np.ndarray, *, n_resamples: int, rng: np.random.Generator
) -> np.ndarray:
    """``n_resamples`` clip-level resamples of one integer confusion array ``(K, K+1)``, as
    ``(n_resamples, K, K+1)``: one multinomial over its non-empty cells."""
    counts = np.asarray(counts)
    flat = counts.reshape(-1)
    cells = np.flatnonzero(flat)
    out = np.zeros((n_resamples, flat.size), dtype=np.int64)
    out[:, cells] = draw_kinds(flat[cells], n_resamples, rng)
    return out.reshape((n_resamples, *counts.shape))


def percentile_interval(values: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """The percentile interval of ``values`` along axis 0 (linear interpolation)."""
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail], axis=0)
    return low, high
