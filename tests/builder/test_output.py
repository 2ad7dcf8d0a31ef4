"""The build writes only into a folder it made (or an empty one), never into the corpora it
reads: issue 11 found an existing dataset's data/, README.md and metadata.jsonl replaced, and
--out = the corpus root overwriting the corpus's own README."""

from __future__ import annotations

import json

import pytest

from cameo_bench.builder import build_collection
from cameo_bench.builder.output import MARKER
from cameo_bench.errors import CameoError
from support.corpus_trees.nemo import make_tree


@pytest.fixture
def src(tmp_path, layouts):
    make_tree(tmp_path / "src", layouts)
    return tmp_path / "src"


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_of_someone_elses_files_is_refused_untouched(src, tmp_path):
    out = tmp_path / "dataset"
    (out / "data").mkdir(parents=True)
    (out / "data" / "nemo-00000-of-00001.parquet").write_bytes(b"precious rows")
    (out / "README.md").write_text("my dataset card\n")
    (out / "metadata.jsonl").write_text('{"file_id": "mine"}\n')
    before = _files(out)
    with pytest.raises(CameoError, match=f"{out}: not empty and not written by `cameo build` "
                                         f"\\(no {MARKER} file\\)"):
        build_collection(src, out, corpora=["nemo"])
    assert _files(out) == before


@pytest.mark.parametrize("where", ["root", "corpus", "inside", "above"])
def test_an_output_overlapping_the_corpora_is_refused_untouched(src, where):
    corpus = src / "nEMO"
    (corpus / "README.md").write_text("nEMO's own README\n")
    out = {"root": src, "corpus": corpus, "inside": corpus / "samples" / "out",
           "above": src.parent}[where]
    before = _files(src)
    with pytest.raises(CameoError, match="overlaps the corpora folder"):
        build_collection(src, out, corpora=["nemo"])
    assert _files(src) == before


def test_a_new_or_empty_folder_is_claimed_and_rebuilt_into(src, tmp_path):
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "new" / "deeper", tmp_path / "empty"):
        build_collection(src, out, corpora=["nemo"])
        assert json.loads((out / MARKER).read_text())["written_by"] == "cameo-bench build"
        first = _files(out)
        build_collection(src, out, corpora=["nemo"])  # its own folder: rebuilt in place
        assert _files(out) == first
        assert MARKER in json.loads((out / "build_report.json").read_text())["files"]


def test_a_collection_built_before_the_marker_is_still_ours(src, tmp_path):
    out = tmp_path / "old"
    build_collection(src, out, corpora=["nemo"])
    (out / MARKER).unlink()
    build_collection(src, out, corpora=["nemo"])
    assert (out / MARKER).is_file()


def test_a_file_is_not_an_output_folder(src, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(CameoError, match="exists and is not a folder"):
        build_collection(src, tmp_path / "file", corpora=["nemo"])
