"""Hostile submissions: each is rejected with a one-line SubmissionRejected that says why."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from cameo_bench.errors import CameoError
from cameo_bench.leaderboard.results_store import open_store
from cameo_bench.leaderboard.validate import (
    DEFAULT_LIMITS,
    Limits,
    SubmissionRejected,
    read_meta,
    validate_meta,
)
from cameo_bench.predictions import write_predictions
from support.leaderboard_data import make_predictions, write_collection, write_submission


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "store", write_collection(tmp_path / "collection"))


def _reject(store, path, meta=None, limits=DEFAULT_LIMITS) -> str:
    with pytest.raises(SubmissionRejected) as info:
        store.submit(path, meta or {"name": "x"}, limits=limits, n_resamples=0)
    message = str(info.value)
    assert isinstance(info.value, CameoError)
    assert "\n" not in message and len(message) <= 400
    assert not (store.root / "submissions").exists()  # nothing was stored
    return message


def _lines(tmp_path, lines: list[str]):
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _good_lines() -> list[str]:
    return [json.dumps(p.to_dict()) for p in make_predictions()]


def _edited(tmp_path, index: int, **changes):
    preds = make_predictions()
    preds[index] = replace(preds[index], **changes)
    return write_predictions(tmp_path / "edited.jsonl", preds)


def test_a_valid_submission_passes(store, tmp_path):
    path, _ = write_submission(tmp_path, make_predictions())
    assert store.submit(path, {"name": "ok"}, n_resamples=0)["runs"] == 1


def test_malformed_json_names_the_line(store, tmp_path):
    lines = _good_lines()
    lines[3] = '{"file_id": "cafe-anger-0.flac", '
    assert _reject(store, _lines(tmp_path, lines)).startswith(
        "hostile.jsonl:4: not valid JSON (Expecting property name enclosed in double quotes at "
        "the end)")


def test_schema_violation_names_the_field(store, tmp_path):
    lines = _good_lines()
    obj = json.loads(lines[0])
    obj["__proto__"] = {"polluted": True}
    lines[0] = json.dumps(obj)
    assert "Additional properties are not allowed" in _reject(store, _lines(tmp_path, lines))
    obj = json.loads(_good_lines()[0])
    obj["temperature"] = "0"
    assert "temperature" in _reject(store, _lines(tmp_path, [json.dumps(obj)]))


def test_huge_line_is_rejected_before_parsing(store, tmp_path):
    lines = _good_lines()
    obj = json.loads(lines[1])
    obj["response"] = "a" * 70_000
    lines[1] = json.dumps(obj)
    assert _reject(store, _lines(tmp_path, lines)) == (
        "hostile.jsonl:2: line longer than 65,536 bytes")


def test_file_size_and_line_count_limits(store, tmp_path):
    path, _ = write_submission(tmp_path, make_predictions())
    assert _reject(store, path, limits=Limits(max_bytes=1000)).startswith("sub.jsonl: ")
    assert "the limit is 1000" in _reject(store, path, limits=Limits(max_bytes=1000))
    assert _reject(store, path, limits=Limits(max_lines=5)) == "sub.jsonl:6: more than 5 lines"


def test_invalid_utf8_and_empty_files(store, tmp_path):
    path = tmp_path / "binary.jsonl"
    path.write_bytes(b'{"file_id": "\xff\xfe"}\n')
    assert _reject(store, path) == "binary.jsonl:1: not valid UTF-8 (byte 0xff at column 14)"
    path.write_text("\n\n", encoding="utf-8")
    assert _reject(store, path) == "binary.jsonl: the file has no predictions"


def test_deeply_nested_json(store, tmp_path):
    lines = _good_lines()
    lines[2] = "[" * 30_000 + "]" * 30_000
    assert _reject(store, _lines(tmp_path, lines)) == (
        "hostile.jsonl:3: JSON nests deeper than 8 levels")
    meta = tmp_path / "meta.json"
    meta.write_text("[" * 8000 + "]" * 8000, encoding="utf-8")
    with pytest.raises(SubmissionRejected, match="^meta.json: JSON nests deeper than 8 levels$"):
        read_meta(meta)


def test_non_finite_numbers(store, tmp_path):
    lines = _good_lines()
    lines[0] = lines[0].replace('"temperature": 0.0', '"temperature": NaN')
    assert _reject(store, _lines(tmp_path, lines)) == (
        "hostile.jsonl:1: NaN is not a number JSON allows")


def test_duplicate_clip(store, tmp_path):
    lines = _good_lines()
    assert "duplicate row" in _reject(store, _lines(tmp_path, lines + [lines[0]]))


def test_missing_clip(store, tmp_path):
    lines = _good_lines()
    message = _reject(store, _lines(tmp_path, lines[1:]))
    assert message.startswith("run (temperature 0, prompt cameo-v1) misses 1 of the "
                              "collection's 26 clips, e.g. 'cafe-anger-0.flac'")


def test_missing_clip_in_one_of_two_runs(store, tmp_path):
    preds = make_predictions(temperatures=(0.0, 0.7))
    path = write_predictions(tmp_path / "two.jsonl", preds[:-1])
    assert "run (temperature 0.7, prompt cameo-v1) misses 1" in _reject(store, path)


def test_clip_not_in_collection(store, tmp_path):
    path = _edited(tmp_path, 0, file_id="../../etc/passwd")
    assert _reject(store, path) == "clip '../../etc/passwd' is not in the collection"


def test_wrong_gold_label(store, tmp_path):
    path = _edited(tmp_path, 0, emotion="sadness")
    assert "gold emotion 'sadness' does not match the collection's 'anger'" in _reject(store, path)


def test_wrong_dataset_or_language(store, tmp_path):
    assert "dataset/language" in _reject(store, _edited(tmp_path, 0, dataset="nEMO"))
    assert "dataset/language" in _reject(store, _edited(tmp_path, 0, language="Polish"))


@pytest.mark.parametrize("labels", [
    ["anger", "disgust", "fear", "happiness", "neutral", "sadness"],  # one missing
    ["anger", "calm", "disgust", "fear", "happiness", "neutral", "sadness", "surprise"],  # extra
    ["anger", "anger", "disgust", "fear", "happiness", "neutral", "sadness", "surprise"],  # twice
])
def test_offered_labels_must_be_the_corpus_label_set(store, tmp_path, labels):
    assert "must be CaFE's label set" in _reject(store, _edited(tmp_path, 0, labels=labels))


def test_two_models_in_one_file(store, tmp_path):
    assert "submit one system" in _reject(store, _edited(tmp_path, 0, model="other"))


def test_prompt_id_and_hash(store, tmp_path):
    assert "prompt_id '../x' must be" in _reject(store, _edited(tmp_path, 0, prompt_id="../x"))
    message = _reject(store, _edited(tmp_path, 0, prompt_hash="0" * 16))
    assert "does not match prompt 'cameo-v1'" in message


def test_too_many_runs(store, tmp_path):
    path = write_predictions(tmp_path / "runs.jsonl", make_predictions(temperatures=(0.0, 0.3)))
    assert "the limit is 1" in _reject(store, path, limits=Limits(max_runs=1))


@pytest.mark.parametrize(("meta", "fragment"), [
    ({}, "'name' (the system's display name) is required"),
    ({"name": "   "}, "'name' (the system's display name) is required"),
    ({"name": 5}, "'name' must be text"),
    ({"name": "x" * 101}, "is 101 characters long; the limit is 100"),
    ({"name": "a\nb"}, "'name' holds a control character U+000A"),
    ({"name": "gpt\u202e4o"}, "'name' holds a bidirectional control character U+202E"),
    ({"name": "ok", "description": "\u2066x\u2069"}, "'description' holds a bidirectional"),
    ({"name": "ok", "submitter": "\ud800"}, "'submitter' holds a lone surrogate U+D800"),
    ({"name": "ok", "__class__": "x"}, "'__class__' is not allowed"),
    ({"name": "ok", "url": "javascript:alert(1)"}, "must be an http:// or https:// address"),
    ({"name": "ok", "url": "https://x.org/\"onmouseover=\"a"}, "must be an http"),
    (["name"], "must be a JSON object"),
])
def test_bad_metadata(meta, fragment):
    with pytest.raises(SubmissionRejected) as info:
        validate_meta(meta)
    assert fragment in str(info.value)


def test_hostile_text_is_kept_verbatim_as_data():
    name = "<script>alert('x')</script> & \"quotes\""
    assert validate_meta({"name": name, "family": "../../etc"}) == {
        "name": name, "family": "../../etc"}


def test_metadata_file_limits(tmp_path):
    path = tmp_path / "meta.json"
    for text, reason in (('{"name": NaN}', "NaN is not a number JSON allows"),
                         ('{"name": "a", "name": "b"}', "key 'name' appears twice"),
                         ('{"name": "x\\u202e"}', "holds a bidirectional control character"),
                         ('{"name": "x"', "not valid JSON")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(SubmissionRejected, match=f"^meta.json: .*{reason}"):
            read_meta(path)
    path.write_bytes(b'{"name": "\xff"}')
    with pytest.raises(SubmissionRejected, match="^meta.json: not valid UTF-8"):
        read_meta(path)
    path.write_text(json.dumps({"name": "x", "description": "y" * 20_000}), encoding="utf-8")
    with pytest.raises(SubmissionRejected, match="^meta.json: larger than 16384 bytes"):
        read_meta(path)
    with pytest.raises(SubmissionRejected, match="^missing.json: no such file"):
        read_meta(tmp_path / "missing.json")
