"""`cameo score`, `cameo compare` and `cameo parse` end to end, and their error lines."""

from __future__ import annotations

import dataclasses
import json

import pytest

from cameo_bench.cli import app, run
from cameo_bench.predictions import read_predictions, write_predictions
from cameo_bench.records import UNPARSED
from support.scoring_data import make_predictions


@pytest.fixture
def pred_file(tmp_path):
    path = tmp_path / "run_a.jsonl"
    write_predictions(path, make_predictions("model-a", per_corpus=12))
    return path


def test_every_command_has_help(capsys):
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert command.callback.__doc__, name
        assert run([name, "--help"]) == 0
        assert "Usage" in capsys.readouterr().out


def test_score_example_prints_tables_and_writes_files(tmp_path, capsys):
    assert run(["score", "--example", "--resamples", "30", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Overall" in out and "example/accurate-model" in out and "chance" in out
    records = json.loads((tmp_path / "scores.json").read_text())
    assert {r["scope"] for r in records} == {"overall", "language", "dataset", "emotion"}
    assert {"accuracy", "macro_f1", "weighted_f1", "f1", "unparsed_rate"} == {
        r["metric"] for r in records}


def test_score_several_files(pred_file, tmp_path, capsys):
    other = tmp_path / "run_b.jsonl"
    write_predictions(other, make_predictions("model-b", per_corpus=12, seed=3))
    assert run(["score", str(pred_file), str(other), "--resamples", "0"]) == 0
    out = capsys.readouterr().out
    assert "model-a T=0" in out and "model-b T=0" in out


def test_score_errors(tmp_path, pred_file, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert run(["score", str(empty)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {empty}: the file has no predictions"

    bad = tmp_path / "bad.jsonl"
    preds = read_predictions(pred_file)
    write_predictions(bad, [dataclasses.replace(preds[0], emotion="angry"), *preds[1:]])
    assert run(["score", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: clip ") and "Unknown label 'angry'" in err
    assert len(err.strip().splitlines()) == 1

    assert run(["score", str(pred_file), str(pred_file)]) == 2
    assert "is also in" in capsys.readouterr().err

    assert run(["score"]) == 2
    assert "no predictions file given" in capsys.readouterr().err


def test_compare(pred_file, tmp_path, capsys):
    other = tmp_path / "run_b.jsonl"
    write_predictions(other, make_predictions("model-b", per_corpus=12, skill=0.1, seed=2))
    assert run(["compare", str(pred_file), str(other), "--resamples", "200"]) == 0
    out = capsys.readouterr().out
    assert "A = model-a T=0 cameo-v1" in out
    assert "overall/all macro_f1: A better: A - B = +" in out and "p = " in out

    partial = tmp_path / "partial.jsonl"
    write_predictions(partial, read_predictions(other)[5:])
    assert run(["compare", str(pred_file), str(partial)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the runs cover different clips (5 only in A, 0 only in B")


def test_parse_fills_every_row(pred_file, tmp_path, capsys):
    stale = tmp_path / "stale.jsonl"
    preds = read_predictions(pred_file)
    write_predictions(stale, [dataclasses.replace(p, parsed=UNPARSED) for p in preds])
    out = tmp_path / "parsed.jsonl"
    assert run(["parse", str(stale), "--out", str(out)]) == 0
    assert f"parsed {len(preds)} answers" in capsys.readouterr().out
    parsed = read_predictions(out)
    assert all(p.parsed is not None for p in parsed)
    assert any(p.parsed != UNPARSED for p in parsed)  # stale values were replaced
    assert [p.response for p in parsed] == [p.response for p in preds]
