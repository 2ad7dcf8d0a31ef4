"""The run manifest: strict JSON, and the collection a folder's answers belong to."""

from __future__ import annotations

import json

import pytest

from cameo_bench.errors import CameoError
from cameo_bench.evaluation.manifest import check_collection, write_manifest


def test_a_manifest_never_holds_invalid_json(tmp_path):
    path = write_manifest(tmp_path / "run.json", {"settings": {"seed": 0}})
    with pytest.raises(ValueError, match="not JSON compliant"):
        write_manifest(path, {"settings": {"temperature": float("nan")}})
    assert json.loads(path.read_text()) == {"settings": {"seed": 0}}


def _data(fingerprint: str, clips: int) -> dict:
    return {"location": "somewhere", "collection": {"clips": clips, "fingerprint": fingerprint,
                                                    "per_dataset": {"nEMO": clips}}}


def test_another_collection_is_refused_by_any_manifest_of_the_folder(tmp_path):
    write_manifest(tmp_path / "run.shard-0-of-2.json", {"data": _data("sha256:" + "a" * 64, 3)})
    write_manifest(tmp_path / "run.json", {"data": {"location": "made before coverage"}})
    check_collection(tmp_path, _data("sha256:" + "a" * 64, 3))
    with pytest.raises(CameoError, match=r"holds answers on another collection \(3 clips, 1 of "
                                         r"13 corpora, sha256:aaaaaaaaaaaa… from somewhere\)"):
        check_collection(tmp_path, _data("sha256:" + "b" * 64, 4))
