"""`cameo score`, `cameo compare` and `cameo parse` end to end, their error lines, and their
tables in an 80- and a 120-column terminal."""

from __future__ import annotations

import csv
import dataclasses
import gc
import io
import json
import os
import subprocess
import sys

import pytest

from cameo_bench.cli import app, run
from cameo_bench.predictions import read_predictions, write_predictions
from cameo_bench.records import UNPARSED
from support.processes import CLI
from support.scoring_data import full_collection_predictions, make_predictions


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
    assert {"accuracy", "macro_f1", "weighted_f1", "f1", "unparsed_rate", "answer_share"} == {
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
    assert gc.isenabled()  # score pauses the collector while it works, and restores it


def test_score_restores_a_paused_collector(pred_file, capsys):
    gc.disable()
    try:
        assert run(["score", str(pred_file), "--resamples", "0"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


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


QWEN = "Qwen/Qwen2-Audio-7B-Instruct"


def _cameo_at(columns: int, *args) -> subprocess.CompletedProcess[str]:
    """``cameo ARGS`` in a child process whose terminal is ``columns`` wide (``COLUMNS``)."""
    env = {**os.environ, "COLUMNS": str(columns),
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run([sys.executable, "-c", CLI, *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=300)


def _fits(text: str, columns: int) -> None:
    lines = text.splitlines()
    assert lines and max(len(line) for line in lines) <= columns, max(lines, key=len)
    assert "…" not in text


@pytest.fixture(scope="module")
def wide_runs(tmp_path_factory):
    """A paper system's run on the full collection (its reported columns appear), the same
    system on 30 clips (its reported numbers are left out, with a note) and two more runs, one
    with a long name."""
    tmp = tmp_path_factory.mktemp("wide")
    full, small = tmp / "qwen-full.jsonl", tmp / "small.jsonl"
    write_predictions(full, full_collection_predictions(QWEN))
    write_predictions(small, make_predictions(QWEN, temperature=0.7, per_corpus=6)
                      + make_predictions("my-org/a-rather-long-model-name-v1", per_corpus=6)
                      + make_predictions("other/model", per_corpus=6, seed=5))
    return full, small


@pytest.mark.slow
@pytest.mark.parametrize("columns", [80, 120])
def test_score_fits_the_terminal(wide_runs, columns):
    proc = _cameo_at(columns, "score", *wide_runs, "--resamples", "20")
    assert proc.returncode == 0, proc.stderr
    _fits(proc.stdout, columns)
    text = proc.stdout
    assert "(reported)" in text and "are not shown: this run covers 30 clips" in " ".join(
        text.split())
    for piece in ("my-org/a-", "other/model", "Answers per label", "F1 per emotion"):
        assert piece in text
    # the same tables, whole, in scores.md: the paper's overall macro-F1 beside ours
    assert "0.189" in text and "± 0.0057" in text


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    """What `cameo evaluate` writes: a run folder with two temperatures."""
    from support.eval_collections import make_collection

    tmp = tmp_path_factory.mktemp("evaluated")
    collection = make_collection(tmp / "collection")
    assert run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp / "run"),
                "-t", "0.0", "0.7", "--no-scores"]) == 0
    return tmp / "run"


def test_compare_two_temperatures_of_a_run_folder_and_save_it(run_folder, tmp_path, capsys):
    code = run(["compare", str(run_folder), "--a-temperature", "0", "--b-temperature", "0.7",
                "--resamples", "200", "--out", str(tmp_path / "cmp.json")])
    assert code == 0
    out = capsys.readouterr().out
    assert "A = random T=0 cameo-v1" in out and "B = random T=0.7 cameo-v1" in out
    saved = json.loads((tmp_path / "cmp.json").read_text(encoding="utf-8"))
    assert (saved["a"]["temperature"], saved["b"]["temperature"]) == (0.0, 0.7)
    assert saved["a"]["source"] == str(run_folder / "predictions.jsonl")
    assert (saved["n_resamples"], saved["seed"], saved["alpha"]) == (200, 0, 0.05)
    overall = next(c for c in saved["comparisons"]
                   if (c["scope"], c["metric"]) == ("overall", "macro_f1"))
    # two random answerers: the test cannot tell them apart, and says so in those words
    assert overall["p_value"] >= 0.05 and overall["verdict"] == "not significant"
    assert "overall/all macro_f1: not significant: A - B = " in out
    assert "no difference" not in out
    for suffix in ("csv", "md"):
        assert run(["compare", str(run_folder), "--a-temperature", "0", "--b-temperature",
                    "0.7", "--resamples", "50", "--out", str(tmp_path / f"cmp.{suffix}")]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "cmp.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(saved["comparisons"]) and rows[0]["run_a"] == "random T=0 cameo-v1"
    md = (tmp_path / "cmp.md").read_text(encoding="utf-8")
    assert md.startswith("# Paired comparison\n") and "| not significant |" in md


def test_compare_says_how_to_pick_a_run(run_folder, tmp_path, capsys):
    assert run(["compare", str(run_folder)]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: A holds 2 runs (random T=0 cameo-v1, random T=0.7 cameo-v1); pick one with "
        "--a-temperature")
    assert run(["compare", str(run_folder), "--a-temperature", "0", "--b-temperature",
                "0.3"]) == 2
    assert "B: no run of T=0.3; it holds random T=0 cameo-v1, random T=0.7" in (
        capsys.readouterr().err)
    assert run(["compare", str(run_folder), "--a-temperature", "0", "--b-temperature", "0"]) == 2
    assert "A and B are the same run" in capsys.readouterr().err
    assert run(["compare", str(run_folder), "--out", str(tmp_path / "x.txt")]) == 2
    assert "--out must end in .json, .csv, .md" in capsys.readouterr().err
    empty = tmp_path / "unfinished"
    empty.mkdir()
    assert run(["compare", str(empty)]) == 2
    assert "no predictions.jsonl in this folder: an unfinished or sharded run" in (
        capsys.readouterr().err)


@pytest.mark.parametrize("columns", [80, 120])
def test_compare_fits_the_terminal(run_folder, columns):
    proc = _cameo_at(columns, "compare", run_folder, "--a-temperature", "0",
                     "--b-temperature", "0.7", "--resamples", "50")
    assert proc.returncode == 0, proc.stderr
    _fits(proc.stdout, columns)
    assert "Paired bootstrap: A - B" in proc.stdout and "significant" in proc.stdout


def test_a_mathtext_model_name_does_not_break_score_out(tmp_path, capsys):
    """Issue 11: ``$\\frac{1}{$`` once crashed matplotlib's mathtext parser in report.html."""
    name = r"$\frac{1}{$"
    pred = tmp_path / "tex.jsonl"
    write_predictions(pred, make_predictions(name, per_corpus=4))
    assert run(["score", str(pred), "--resamples", "10", "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert f"{name} T=0" in page and page.count("<svg ") == 3
    assert "\\$\\textbackslash{}frac\\{1\\}\\{\\$ T=0" in (
        tmp_path / "out" / "scores.tex").read_text(encoding="utf-8")
