import sys
import warnings

import numpy as np
import pytest

from cameo_bench.baseline import features
from cameo_bench.baseline.features import N_FEATURES, extract_egemaps
from cameo_bench.errors import MissingDependencyError


def _items(n, seconds=0.4):
    rng = np.random.default_rng(0)
    t = np.arange(int(16000 * seconds)) / 16000
    return [(f"{i:064x}.flac",
             (0.3 * np.sin(2 * np.pi * (120 + 10 * i) * t) + 0.01 * rng.normal(size=t.size))
             .astype(np.float32)) for i in range(n)]


def test_features_are_cached_per_file_id(tmp_path, monkeypatch):
    items = _items(3)
    first = extract_egemaps(items, cache_dir=tmp_path, workers=1)
    assert first.shape == (3, N_FEATURES) and np.isfinite(first).all()
    assert len(list(tmp_path.rglob("*.npy"))) == 3

    def boom(chunk):
        raise AssertionError("extracted again instead of reading the cache")

    monkeypatch.setattr(features, "_extract_chunk", boom)
    progress = []
    again = extract_egemaps(items, cache_dir=tmp_path, on_progress=lambda d, t: progress.append(d))
    np.testing.assert_array_equal(first, again)
    assert progress == [3]


def test_a_clip_too_short_gets_a_nan_row_not_a_crash(tmp_path):
    items = _items(2) + [("f" * 64 + ".flac", np.zeros(40, np.float32))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openSMILE's "Segment too short" is handled, not leaked
        X = extract_egemaps(items, cache_dir=tmp_path, workers=1)
    assert np.isfinite(X[:2]).all() and np.isnan(X[2]).all()


@pytest.mark.slow
def test_parallel_extraction_equals_in_process(tmp_path):
    items = _items(features._MIN_PARALLEL, seconds=0.3)
    parallel = extract_egemaps(items, cache_dir=tmp_path / "p", workers=2)
    serial = extract_egemaps(items, cache_dir=tmp_path / "s", workers=1)
    np.testing.assert_array_equal(parallel, serial)



def test_without_opensmile_the_parent_says_so_before_any_worker_starts(tmp_path, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool started before the dependency was checked")

    monkeypatch.setitem(sys.modules, "opensmile", None)  # `import opensmile` now fails
    monkeypatch.setattr(features, "ProcessPoolExecutor", no_pool)
    with pytest.raises(MissingDependencyError, match=r"cameo-bench\[baseline\]") as caught:
        extract_egemaps(_items(features._MIN_PARALLEL), cache_dir=tmp_path, workers=2)
    assert "\n" not in str(caught.value)
