"""Reading predictions files: schema validation with line numbers, duplicates, empty files;
the fast row checks (fastjsonschema, and the reader's own check of ordinary rows) agree with the
jsonschema validator."""

from __future__ import annotations

import json

import jsonschema
import pytest

from cameo_bench.errors import InputError
from cameo_bench.evaluation.run_folder import load_rows
from cameo_bench.predictions import (
    parse_line,
    read_predictions,
    row_error,
    schema,
    write_predictions,
)
from support.scoring_data import make_predictions


def _lines(n=3):
    return [json.dumps(p.to_dict()) for p in make_predictions(per_corpus=1)[:n]]


def test_round_trip(tmp_path):
    preds = make_predictions(per_corpus=2)
    path = write_predictions(tmp_path / "p.jsonl", preds)
    assert read_predictions(path) == preds


def test_malformed_json_names_the_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join([*_lines(2), "{not json", *_lines(1)]) + "\n")
    with pytest.raises(InputError, match=r"p\.jsonl:3: not valid JSON") as exc:
        read_predictions(path)
    assert exc.value.line == 3


def test_schema_violation_names_line_and_field(tmp_path):
    rows = _lines(3)
    bad = json.loads(rows[1])
    del bad["response"]
    rows[1] = json.dumps(bad)
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(InputError, match=r"p\.jsonl:2: .*'response' is a required property"):
        read_predictions(path)
    extra = json.loads(rows[0]) | {"confidence": 0.9}
    path.write_text(json.dumps(extra) + "\n")
    with pytest.raises(InputError, match=r"p\.jsonl:1: .*'confidence' was unexpected"):
        read_predictions(path)


def test_duplicate_rows_are_an_error(tmp_path):
    rows = _lines(2)
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join([*rows, rows[0]]) + "\n")
    with pytest.raises(InputError, match=r"p\.jsonl:3: duplicate row .*first at line 1"):
        read_predictions(path)


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text("\n")
    with pytest.raises(InputError, match="has no predictions"):
        read_predictions(path)


BREAKS = [
    {}, {"temperature": True}, {"temperature": -0.5}, {"temperature": 1}, {"seconds": True},
    {"seconds": -1.0}, {"seconds": None}, {"labels": []}, {"labels": [""]}, {"labels": [1]},
    {"labels": ["x"] * 18}, {"file_id": ""}, {"file_id": "é" * 200}, {"file_id": "é" * 201},
    {"model_revision": 3}, {"model_revision": None}, {"parsed": None}, {"confidence": 0.9},
    {"error": "timeout"}, {"prompt_hash": "a" * 65},
]


@pytest.mark.parametrize("change", BREAKS)
def test_row_error_agrees_with_jsonschema(change):
    row = json.loads(_lines(1)[0]) | change
    error = next(iter(jsonschema.Draft202012Validator(schema()).iter_errors(row)), None)
    expected = None if error is None else (
        "/".join(str(p) for p in error.absolute_path) or "line") + f": {error.message}"
    assert row_error(row) == expected
    assert row_error([row]) is not None


#: More rows the schema refuses or admits, one field at a time: each type JSON has, bounds.
MORE_BREAKS = [
    *({field: value} for field in ("file_id", "dataset", "language", "emotion", "model",
                                   "prompt_id", "response", "model_revision", "prompt_hash",
                                   "parsed", "error", "temperature", "seconds", "labels")
      for value in (None, True, 0, 1.5, "x", [], ["x"], {}, {"a": "b"})),
    {"temperature": -0.0}, {"temperature": 10 ** 300}, {"seconds": 0}, {"labels": ["x"] * 17},
    {"labels": ["x" * 100]}, {"labels": ["x" * 101]}, {"labels": ["x", None]},
    {"labels": ["x", ["y"]]}, {"model": "m" * 200}, {"model": "m" * 201},
    {"dataset": "d" * 101}, {"model_revision": "r" * 201}, {"prompt_hash": "a" * 64},
]


@pytest.mark.parametrize("change", BREAKS + MORE_BREAKS)
def test_reader_refuses_what_jsonschema_refuses(tmp_path, change):
    """``parse_line`` vouches for ordinary rows without the compiled schema: it must still
    refuse every row jsonschema refuses (with jsonschema's words) and admit the rest."""
    valid = json.loads(_lines(1)[0])
    row = valid | change
    error = next(iter(jsonschema.Draft202012Validator(schema()).iter_errors(row)), None)
    parse_line("p.jsonl", 1, json.dumps(valid))  # the key order is now known to the reader
    if error is None:
        assert parse_line("p.jsonl", 2, json.dumps(row)) is not None
    else:
        where = "/".join(str(p) for p in error.absolute_path) or "line"
        with pytest.raises(InputError) as exc:
            parse_line("p.jsonl", 2, json.dumps(row))
        assert str(exc.value) == f"p.jsonl:2: {where}: {error.message}"


def test_load_rows_checks_the_schema_and_drops_a_torn_line(tmp_path):
    rows = _lines(3)
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(rows) + "\n" + rows[0][:20])
    assert len(load_rows(path)) == 3
    assert path.read_text() == "\n".join(rows) + "\n"
    bad = json.loads(rows[2]) | {"temperature": "hot"}
    path.write_text("\n".join([*rows[:2], json.dumps(bad)]) + "\n")
    with pytest.raises(InputError, match=r"p\.jsonl:3: temperature: 'hot' is not of type"):
        load_rows(path)
