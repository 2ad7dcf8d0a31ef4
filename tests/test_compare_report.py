"""The comparison's terminal table and its ``--out`` files (JSON, CSV, Markdown)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rich.console import Console

from cameo_bench.compare import compare_runs
from cameo_bench.compare_report import ComparedRun, print_comparison, write_comparison
from cameo_bench.errors import CameoError
from support.scoring_data import make_predictions

A = ComparedRun("good T=0 cameo-v1", "good", 0.0, "cameo-v1", "runs/good/predictions.jsonl", 150)
B = ComparedRun("poor T=0 cameo-v1", "poor", 0.0, "cameo-v1", "poor.jsonl", 150)


@pytest.fixture(scope="module")
def comparisons():
    return compare_runs(make_predictions("good", skill=0.9),
                        make_predictions("poor", skill=0.2, seed=5), n_resamples=200)


def test_files_hold_every_comparison_with_its_verdict(comparisons, tmp_path):
    settings = {"alpha": 0.05, "n_resamples": 200, "seed": 0}
    saved = json.loads(write_comparison(tmp_path / "c.json", comparisons, A, B,
                                        **settings).read_text(encoding="utf-8"))
    assert saved["a"]["label"] == A.label and saved["b"]["source"] == "poor.jsonl"
    assert {k: saved[k] for k in settings} == settings
    assert [{k: v for k, v in c.items() if k != "verdict"} for c in saved["comparisons"]] == [
        c.to_dict() for c in comparisons]
    assert [c["verdict"] for c in saved["comparisons"]] == [
        c.verdict_text(0.05) for c in comparisons]
    rows = list(csv.DictReader(io.StringIO(write_comparison(
        tmp_path / "c.csv", comparisons, A, B, **settings).read_text(encoding="utf-8"))))
    assert [(r["scope"], r["group"], r["metric"], float(r["diff"])) for r in rows] == [
        (c.scope, c.group, c.metric, c.diff) for c in comparisons]
    md = write_comparison(tmp_path / "c.md", comparisons, A, B, **settings).read_text("utf-8")
    assert "- A = `good T=0 cameo-v1` (runs/good/predictions.jsonl, 150 clips)" in md
    assert md.count("\n| ") == len(comparisons) + 1
    first = write_comparison(tmp_path / "again.json", comparisons, A, B, **settings)
    assert first.read_bytes() == (tmp_path / "c.json").read_bytes()
    with pytest.raises(CameoError, match="--out must end in .json, .csv, .md"):
        write_comparison(tmp_path / "c.xlsx", comparisons, A, B, **settings)


def test_terminal_table_fits_and_says_the_verdicts(comparisons):
    out = io.StringIO()
    print_comparison(comparisons, A.label, B.label, console=Console(file=out, width=80))
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "overall/all macro_f1: A better: A - B = +" in text
