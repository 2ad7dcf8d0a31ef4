"""Reading predictions files: schema validation with line numbers, duplicates, empty files."""

from __future__ import annotations

import json

import pytest

from cameo_bench.errors import InputError
from cameo_bench.predictions import read_predictions, write_predictions
from scoring_data import make_predictions


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
