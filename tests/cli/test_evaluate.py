"""``cameo evaluate`` on the command line: options, several temperatures, errors, batching check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cameo_bench.cli import run
from cameo_bench.cli.evaluate import parse_options
from cameo_bench.predictions import read_predictions
from support.eval_collections import DEFAULT_LAYOUT, make_collection

N_CLIPS = sum(DEFAULT_LAYOUT.values())


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return make_collection(tmp_path_factory.mktemp("collection"))


def test_temperatures_follow_one_flag(collection, tmp_path):
    code = run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
                "--temperature", "0.0", "0.3", "0.7", "--batch-size", "4", "--no-scores"])
    assert code == 0
    manifest = json.loads((tmp_path / "run.json").read_text())
    assert manifest["settings"]["temperatures"] == [0.0, 0.3, 0.7]
    rows = read_predictions(tmp_path / "predictions.jsonl")
    assert sorted({r.temperature for r in rows}) == [0.0, 0.3, 0.7]
    assert len(rows) == 3 * N_CLIPS


def test_an_unknown_model_suggests_the_closest(collection, tmp_path, capsys):
    code = run(["evaluate", "-m", "qwen2-audoi", "-d", str(collection), "-o", str(tmp_path)])
    assert code == 2
    assert "Did you mean 'qwen2-audio'" in capsys.readouterr().err


def test_an_option_the_backend_does_not_take_is_refused(collection, tmp_path, capsys):
    code = run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
                "-O", "dtype=bfloat16"])
    assert code == 2
    assert "it takes: delay" in capsys.readouterr().err


def test_a_stray_argument_is_an_error(collection, tmp_path, capsys):
    code = run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path), "x"])
    assert code == 2
    assert "unexpected argument 'x'" in capsys.readouterr().err


def test_options_parse_json_values_and_keep_strings():
    assert parse_options(["concurrency=8", "backoff=0.5", "dtype=bfloat16", "flag=true"]) == {
        "concurrency": 8, "backoff": 0.5, "dtype": "bfloat16", "flag": True}
    with pytest.raises(Exception, match="KEY=VALUE"):
        parse_options(["dtype"])


def test_check_batching_writes_its_report(collection, tmp_path):
    code = run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
                "--check-batching", "-b", "4", "--limit", "6"])
    assert code == 0
    report = json.loads((tmp_path / "batching_check.json").read_text())
    assert (report["clips"], report["differing"]) == (6, 0)
    assert not (tmp_path / "predictions.jsonl").exists()
