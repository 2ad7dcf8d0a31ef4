"""Deterministic and resumable: the same bytes for any number of workers, and a build killed
mid-way finishes on rerun with the bytes of an uninterrupted build, redoing only what was lost."""

from __future__ import annotations

import signal

import pytest

import cameo_bench.builder as build
import cameo_bench.builder.convert as convert
from cameo_bench.builder import WORK_DIR, build_collection, write_card
from support.corpus_trees.nemo import make_tree
from support.processes import signal_mid_build

OUTPUTS = ("data/nemo-00000-of-00001.parquet", "metadata.jsonl", "README.md",
           "build_report.json")


def _bytes(out):
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.fixture
def tree(tmp_path, layouts, monkeypatch):
    monkeypatch.setattr(convert, "CHUNK_SIZE", 4)  # 12 clips → 3 chunks
    make_tree(tmp_path / "src", layouts)
    return tmp_path / "src"


@pytest.fixture
def reference(tree, tmp_path):
    build_collection(tree, tmp_path / "ref", corpora=["nemo"], jobs=1)
    return _bytes(tmp_path / "ref")


def test_same_bytes_for_any_jobs(tree, tmp_path, reference):
    build_collection(tree, tmp_path / "two", corpora=["nemo"], jobs=2)
    assert _bytes(tmp_path / "two") == reference
    assert not (tmp_path / "two" / WORK_DIR).exists()


def test_killed_during_conversion_resumes(tree, tmp_path, reference, monkeypatch):
    out = tmp_path / "out"
    real_write = convert._write_chunk
    writes = []

    def write_then_die(chunk, results):
        real_write(chunk, results)
        writes.append(chunk)
        if len(writes) == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(convert, "_write_chunk", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        build_collection(tree, out, corpora=["nemo"], jobs=1)
    assert len(list((out / WORK_DIR / "nemo").glob("*.chunk"))) == 1
    assert not list((out / "data").glob("*.parquet"))

    monkeypatch.setattr(convert, "_write_chunk", real_write)
    real_clip = convert.convert_clip
    done = []
    monkeypatch.setattr(convert, "convert_clip",
                        lambda c, *limit: done.append(c) or real_clip(c, *limit))
    build_collection(tree, out, corpora=["nemo"], jobs=1)
    assert len(done) == 8  # the first chunk's 4 clips came from the cache
    assert _bytes(out) == reference


def test_killed_during_final_writes_resumes(tree, tmp_path, reference, monkeypatch):
    out = tmp_path / "out"

    real_card = build.write_card
    monkeypatch.setattr(build, "write_card", _interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_collection(tree, out, corpora=["nemo"], jobs=2)
    assert (out / OUTPUTS[0]).is_file() and not (out / "README.md").exists()
    monkeypatch.setattr(build, "write_card", real_card)
    build_collection(tree, out, corpora=["nemo"], jobs=2)
    assert _bytes(out) == reference


KILLABLE = """
import sys
from cameo_bench.builder import build_collection
build_collection(sys.argv[1], sys.argv[2], corpora=["nemo"], jobs=2)
"""


@pytest.mark.slow
def test_sigkill_mid_build_then_rerun_gives_identical_files(nemo_root, tmp_path):
    out = tmp_path / "killed"
    work = out / WORK_DIR / "nemo"
    signal_mid_build(KILLABLE, [str(nemo_root.parent), str(out)], work, signal.SIGKILL
                     ).communicate()
    cached = len(list(work.glob("*.chunk")))
    assert 0 < cached < -(-446 // convert.CHUNK_SIZE), "the kill did not land mid-build"
    assert not (out / "README.md").exists()

    build_collection(nemo_root.parent, out, corpora=["nemo"], jobs=2)
    build_collection(nemo_root.parent, tmp_path / "clean", corpora=["nemo"], jobs=2)
    assert _bytes(out) == _bytes(tmp_path / "clean")


def test_damaged_cached_chunks_are_detected_and_converted_again(tree, tmp_path, reference,
                                                                 monkeypatch):
    """Issue 11: a corrupt cached chunk in .cameo-build/ was a traceback on every rerun."""
    out = tmp_path / "out"
    monkeypatch.setattr(convert, "CHUNK_SIZE", 3)  # 12 clips → 4 chunks
    monkeypatch.setattr(build, "write_card", _interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_collection(tree, out, corpora=["nemo"], jobs=1)
    monkeypatch.setattr(build, "write_card", write_card)
    cached = sorted((out / WORK_DIR / "nemo").iterdir())
    assert len(cached) == 4
    first = cached[0].read_bytes()
    cached[0].write_bytes(first[: len(first) // 2])  # torn
    cached[1].write_bytes(b"\0" * 4096)  # overwritten
    cached[2].write_bytes(first)  # another chunk's clips under this chunk's name
    flipped = bytearray(cached[3].read_bytes())
    flipped[flipped.index(b"fLaC") + 300] ^= 0x10  # one bit of audio
    cached[3].write_bytes(bytes(flipped))

    real_clip = convert.convert_clip
    done = []
    monkeypatch.setattr(convert, "convert_clip",
                        lambda c, *limit: done.append(c) or real_clip(c, *limit))
    build_collection(tree, out, corpora=["nemo"], jobs=1)
    assert len(done) == 12  # every damaged chunk converted again
    assert _bytes(out) == reference
