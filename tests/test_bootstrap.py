"""The vectorized bootstrap: reproducible, the same distribution as resampling clip indices,
intervals that shrink as n grows, and the SPEC's ± for accuracy 0.390 on 41,265 clips."""

from __future__ import annotations

import numpy as np
import pytest

from cameo_bench.bootstrap import (
    bootstrap_confusions,
    draw_kinds,
    percentile_interval,
    rng_for,
    sum_by_cell,
)
from cameo_bench.metrics import accuracy, macro_f1


def _counts(n_scale: int = 1) -> np.ndarray:
    base = np.array([[30, 5, 3, 2], [4, 25, 8, 1], [6, 2, 20, 4]])
    return base * n_scale


def test_draws_are_reproducible_and_sum_to_n():
    kinds = np.array([5, 0, 12, 3])
    a = draw_kinds(kinds, 200, rng_for(7, "language", "French"))
    b = draw_kinds(kinds, 200, rng_for(7, "language", "French"))
    c = draw_kinds(kinds, 200, rng_for(7, "language", "German"))
    assert (a == b).all() and not (a == c).all()
    assert (a.sum(axis=1) == 20).all() and (a[:, 1] == 0).all()


def test_multinomial_matches_index_resampling_in_distribution():
    counts = _counts()
    boot = macro_f1(bootstrap_confusions(counts, n_resamples=4000, rng=rng_for(0, "x")))
    # independent reference: expand to clips and resample their indices
    k1 = counts.shape[1]
    cells = np.repeat(np.arange(counts.size), counts.ravel())
    rng = np.random.default_rng(1)
    ref = []
    for _ in range(4000):
        sample = cells[rng.integers(0, len(cells), len(cells))]
        ref.append(macro_f1(np.bincount(sample, minlength=counts.size).reshape(-1, k1)))
    assert np.mean(boot) == pytest.approx(np.mean(ref), abs=0.004)
    assert np.std(boot) == pytest.approx(np.std(ref), rel=0.08)


def test_intervals_shrink_as_n_grows():
    widths = []
    for scale in (1, 4, 16):
        boot = accuracy(bootstrap_confusions(_counts(scale), n_resamples=1000,
                                             rng=rng_for(0, "s")))
        low, high = percentile_interval(boot)
        widths.append(high - low)
    assert widths[0] > 1.6 * widths[1] > 1.6 * 1.6 * widths[2]


def test_accuracy_half_width_matches_the_papers_example():
    # SPEC §2: accuracy 0.390 on 41,265 clips gives ± 0.0047
    n, right = 41_265, round(0.390 * 41_265)
    counts = np.array([[right, n - right - 100, 100]])
    boot = accuracy(bootstrap_confusions(counts, n_resamples=1000, rng=rng_for(0, "overall")))
    low, high = percentile_interval(boot)
    assert (high - low) / 2 == pytest.approx(0.0047, abs=0.0003)


def test_percentile_interval_is_numpy_percentile():
    values = np.random.default_rng(3).normal(size=(1000, 2))
    low, high = percentile_interval(values)
    assert np.allclose(low, np.percentile(values, 2.5, axis=0))
    assert np.allclose(high, np.percentile(values, 97.5, axis=0))


def test_sum_by_cell_adds_kinds_in_the_same_cell():
    draws = np.arange(12).reshape(2, 6)
    cell_of_kind = np.array([3, 0, 3, 1, 0, 4])
    expected = np.zeros((2, 6), dtype=int)
    for j, cell in enumerate(cell_of_kind):
        expected[:, cell] += draws[:, j]
    assert (sum_by_cell(draws, cell_of_kind, 6) == expected).all()
