"""Every adapter that has a fake tree, side by side: each finds its own tree and no other's, as
when a researcher points the build at one folder holding several originals."""

from __future__ import annotations

import importlib
import importlib.util

import pytest

from cameo_bench.audio import convert
from cameo_bench.corpora import get_adapter
from cameo_bench.records import SourceClip
from cameo_bench.vocab import SPLITS as ALL_SPLITS

SPLITS = tuple(s for s in ALL_SPLITS if importlib.util.find_spec(f"support.corpus_trees.{s}"))


def _tree(split):
    return importlib.import_module(f"support.corpus_trees.{split}")


@pytest.fixture(scope="module")
def originals(tmp_path_factory, request):
    layouts = request.getfixturevalue("layouts")
    folder = tmp_path_factory.mktemp("originals")
    for split in SPLITS:
        _tree(split).make_tree(folder / split, layouts)
    return folder


@pytest.mark.parametrize("split", SPLITS)
def test_each_adapter_finds_only_its_own_tree(originals, split):
    adapter = get_adapter(split)
    own = adapter.detect(originals / split)
    assert own is not None and own.is_relative_to(originals / split)
    assert own == originals / split / _tree(split).ROOT  # exactly where its corpus root lies
    assert adapter.detect(originals) == own
    for other in SPLITS:
        found = adapter.detect(originals / other)
        assert (found is not None) == (other == split), (split, other, found)


@pytest.mark.parametrize("split", SPLITS)
def test_adapter_constants_are_complete(split):
    adapter = get_adapter(split)
    assert adapter.split == split
    assert adapter.download and adapter.layout and "\n" not in adapter.layout
    assert set(adapter.label_map.values()) == set(adapter.info().labels)


def test_every_corpus_has_an_adapter_and_a_tree():
    assert len(SPLITS) == 13
    for split in SPLITS:
        assert importlib.util.find_spec(f"cameo_bench.corpora.{split}") is not None, split
        assert isinstance(_tree(split).ROOT, str), split


def test_kept_clips_have_distinct_audio_across_the_trees(originals):
    # the build removes duplicates by file_id: every expected clip must survive it
    ids = [
        convert(clip.source).file_id
        for split in SPLITS
        for clip in get_adapter(split)(get_adapter(split).detect(originals / split)).scan()
        if isinstance(clip, SourceClip)
    ]
    assert len(ids) == len(set(ids)) > 150
