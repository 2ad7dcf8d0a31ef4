"""eGeMAPS features streamed from a collection: cached per clip under the digest of its audio,
never under a name read from the collection; only complete finite rows cached, cached rows
checked when read; workers read the collection themselves; the dependency checked first."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest

from cameo_bench.audio import pcm_file_id, to_pcm16
from cameo_bench.baseline import features
from cameo_bench.baseline.features import N_FEATURES, collection_features, egemaps_rows
from cameo_bench.collection import open_collection
from cameo_bench.errors import MissingDependencyError
from support.tone_collections import tone, tone_collection


def _open(root):
    collection = open_collection(root)
    return collection, collection.clips()


def _cached(cache):
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file())


@pytest.mark.slow
def test_rows_are_openSMILEs_and_are_cached_under_the_audio_digest(tmp_path, monkeypatch):
    collection, clips = _open(tone_collection(tmp_path / "c", {"cafe": 3}))
    cache = tmp_path / "cache"
    first = collection_features(collection, clips, cache_dir=cache, workers=1)
    assert first.shape == (3, N_FEATURES) and np.isfinite(first).all()
    # independent of the cache and the collection: openSMILE on the same samples
    np.testing.assert_array_equal(first, egemaps_rows(x for _, x in collection.audio(clips)))
    ids = [c.record.file_id.removesuffix(".flac") for c in clips]
    assert _cached(cache) == sorted(f"{i[:2]}/{i}.npy" for i in ids)

    def boom(task):
        raise AssertionError("extracted again instead of reading the cache")

    monkeypatch.setattr(features, "_extract_task", boom)
    progress = []
    again = collection_features(collection, clips, cache_dir=cache,
                                on_progress=lambda done, total: progress.append(done))
    np.testing.assert_array_equal(first, again)
    assert progress == [3]


@pytest.mark.slow
def test_parallel_workers_give_the_in_process_rows(tmp_path):
    n = features._MIN_PARALLEL
    collection, clips = _open(tone_collection(tmp_path / "c", {"cafe": n}, seconds=0.3))
    parallel = collection_features(collection, clips, cache_dir=tmp_path / "p", workers=2)
    serial = collection_features(collection, clips, cache_dir=tmp_path / "s", workers=1)
    np.testing.assert_array_equal(parallel, serial)
    assert len(_cached(tmp_path / "p")) == n


def test_a_clip_too_short_gets_a_nan_row_and_is_not_cached(tmp_path):
    collection, clips = _open(tone_collection(tmp_path / "c", {"cafe": 3},
                                              lengths=[0.5, 0.5, 40 / 16000]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openSMILE's "Segment too short" is handled, not leaked
        X = collection_features(collection, clips, cache_dir=tmp_path / "cache", workers=1)
    assert np.isfinite(X[:2]).all() and np.isnan(X[2]).all()
    assert len(_cached(tmp_path / "cache")) == 2


@pytest.mark.parametrize("hostile", ["../../../escaped.flac", "{tmp}/absolute.flac", "..",
                                     "a/../../b", "0" * 64 + ".flac/../../x"])
def test_a_file_id_is_never_used_as_a_path(tmp_path, hostile):
    """issue 11: a collection's ``file_id`` named the cache file
    (``<cache>/<id[:2]>/<id>.npy``), so a ``../`` or absolute id wrote and read ``.npy`` files
    anywhere."""
    hostile = hostile.format(tmp=tmp_path)
    cache = tmp_path / "work" / "cache"
    where_it_went = cache / hostile[:2] / f"{hostile.removesuffix('.flac')}.npy"
    collection, clips = _open(tone_collection(tmp_path / "work" / "c", {"cafe": 2},
                                              file_ids=[hostile]))
    X = collection_features(collection, clips, cache_dir=cache, workers=1)
    assert np.isfinite(X).all()
    assert not where_it_went.resolve().exists()
    outside = [p for p in tmp_path.rglob("*.npy") if not p.resolve().is_relative_to(cache)]
    assert outside == []
    digest = pcm_file_id(to_pcm16(tone(0.5, 0))).removesuffix(".flac")
    assert f"{digest[:2]}/{digest}.npy" in _cached(cache)  # named by its audio, not its id


def test_a_clip_with_a_foreign_id_is_still_cached_by_its_audio(tmp_path, monkeypatch):
    collection, clips = _open(tone_collection(tmp_path / "c", {"cafe": 2},
                                              file_ids=["clip-a.wav", "clip-b.wav"]))
    cache = tmp_path / "cache"
    first = collection_features(collection, clips, cache_dir=cache, workers=1)
    monkeypatch.setattr(features, "egemaps_rows", lambda audios: pytest.fail("not cached"))
    np.testing.assert_array_equal(
        collection_features(collection, clips, cache_dir=cache, workers=1), first)


@pytest.mark.parametrize("damage", ["nan", "truncated", "shape", "object", "text"])
def test_a_damaged_cached_row_is_extracted_again(tmp_path, damage):
    collection, clips = _open(tone_collection(tmp_path / "c", {"cafe": 2}))
    cache = tmp_path / "cache"
    good = collection_features(collection, clips, cache_dir=cache, workers=1)
    path = next(cache.rglob("*.npy"))
    if damage == "nan":
        np.save(path, np.full(N_FEATURES, np.nan))
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "shape":
        np.save(path, np.zeros(N_FEATURES - 1))
    elif damage == "object":
        np.save(path, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    else:
        path.write_text("not a row")
    again = collection_features(collection, clips, cache_dir=cache, workers=1)
    np.testing.assert_array_equal(again, good)
    assert np.array_equal(np.load(path), good[[c.record.file_id[:64] in path.name
                                               for c in clips].index(True)])


def test_without_opensmile_the_parent_says_so_before_any_worker_starts(tmp_path, monkeypatch):
    collection, clips = _open(tone_collection(tmp_path / "c", {"cafe": features._MIN_PARALLEL},
                                              seconds=0.1))

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker started before the dependency was checked")

    monkeypatch.setitem(sys.modules, "opensmile", None)  # `import opensmile` now fails
    monkeypatch.setattr(features, "process_map", no_pool)
    with pytest.raises(MissingDependencyError, match=r"cameo-bench\[baseline\]") as caught:
        collection_features(collection, clips, cache_dir=tmp_path / "cache", workers=2)
    assert "\n" not in str(caught.value)
