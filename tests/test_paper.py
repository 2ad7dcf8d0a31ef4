"""`cameo score` shows the paper's reported numbers beside a paper system's run on the full
collection, in their own columns and files, never inside scores.json (SPEC §2), and says why
they are left out beside a run on fewer clips (issue 11)."""

from __future__ import annotations

import csv
import json

import pytest

from cameo_bench.cli import app, run  # noqa: F401 (registers the commands)
from cameo_bench.paper import read_paper_results, reported_for
from cameo_bench.predictions import write_predictions
from support.scoring_data import full_collection_predictions, make_predictions

QWEN = "Qwen/Qwen2-Audio-7B-Instruct"


def _paper_row(shared, model_id: str, temperature: str, scope: str, group: str, metric: str):
    with open(shared / "reference" / "paper_results.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if (row["model_id"], row["temperature"], row["scope"], row["group"],
                    row["metric"]) == (model_id, temperature, scope, group, metric):
                return row
    raise AssertionError(f"no paper row for {model_id} {temperature} {scope} {group} {metric}")


def _reported_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if "reported" in line]


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    """A run of Qwen2-Audio at T=0 on a collection of the full size (41,265 clips)."""
    path = tmp_path_factory.mktemp("full") / "qwen.jsonl"
    write_predictions(path, full_collection_predictions(QWEN))
    return path


def test_paper_system_on_the_full_collection_shows_reported_columns_and_files(
        shared, full_run, tmp_path, capsys):
    row = _paper_row(shared, QWEN, "0.0", "overall", "all", "macro_f1")
    shown = f"{float(row['value']):.3f} ± {float(row['ci95_halfwidth']):.4f}"
    out_dir = tmp_path / "out"
    assert run(["score", str(full_run), "--resamples", "0", "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "(reported)" in out and shown.split(" ± ")[0] in out and "not shown" not in out
    md = (out_dir / "scores.md").read_text(encoding="utf-8")
    assert "| macro-F1 paper (reported) |" in md
    assert f"| {QWEN} T=0 | " in md and f" | {shown} | " in md
    nemo = _paper_row(shared, QWEN, "0.0", "dataset", "nEMO (pl)", "macro_f1")
    nemo_row = next(line for line in md.split("## Macro-F1 per dataset")[1].splitlines()
                    if line.startswith("| nEMO |"))
    # group, n, ours, then the paper's beside it
    assert nemo_row.split(" | ")[3] == (f"{float(nemo['value']):.3f} ± "
                                        f"{float(nemo['ci95_halfwidth']):.4f}")

    scores = (out_dir / "scores.json").read_text(encoding="utf-8")
    assert "reported" not in scores and "paper" not in scores
    assert {tuple(sorted(r)) for r in json.loads(scores)} == {tuple(sorted(
        ["model", "temperature", "prompt_id", "scope", "group", "metric", "value", "ci_low",
         "ci_high", "n", "clips", "fingerprint"]))}
    assert {r["clips"] for r in json.loads(scores)} == {41265}
    reported = json.loads((out_dir / "reported.json").read_text(encoding="utf-8"))
    assert {r["status"] for r in reported} == {"reported"}
    overall = [r for r in reported if (r["scope"], r["metric"]) == ("overall", "macro_f1")]
    assert [(r["value"], r["half_width"], r["run_model"]) for r in overall] == [
        (float(row["value"]), float(row["ci95_halfwidth"]), QWEN)]
    assert (out_dir / "reported.csv").read_text(encoding="utf-8").count("\n") == len(reported) + 1


def test_paper_numbers_are_hidden_beside_a_subset_and_the_reason_is_said(shared, tmp_path,
                                                                        capsys):
    """Issue 11: a 446-clip run must not sit beside the paper's 41,265-clip numbers."""
    pred = tmp_path / "qwen.jsonl"
    write_predictions(pred, make_predictions(QWEN, per_corpus=6, temperature=0.0))
    out_dir = tmp_path / "out"
    assert run(["score", str(pred), "--resamples", "0", "--out", str(out_dir)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    why = (f"The paper's reported numbers for {QWEN} T=0 are not shown: this run covers 30 "
           "clips, 5 of 13 corpora, the paper's numbers the full collection (41,265 clips of "
           "13 corpora): they are not comparable.")
    assert why in out and "(reported)" not in out
    md = (out_dir / "scores.md").read_text(encoding="utf-8")
    assert why in md and "(reported)" not in md
    assert not (out_dir / "reported.json").exists()


def test_alias_matches_and_other_temperature_prompt_do_not(shared):
    row = _paper_row(shared, QWEN, "0.3", "overall", "all", "accuracy")
    values = read_paper_results(shared / "reference" / "paper_results.tsv")
    cells = reported_for("qwen2-audio", 0.3, "cameo-v1", values)
    assert cells[("overall", "all", "accuracy")].value == float(row["value"])
    assert reported_for("qwen2-audio", 0.5, "cameo-v1", values) == {}
    assert reported_for("qwen2-audio", 0.3, "other-prompt", values) == {}


def test_model_without_paper_row_has_no_reported_column(tmp_path, capsys):
    pred = tmp_path / "mine.jsonl"
    write_predictions(pred, make_predictions("my-org/my-model", per_corpus=6))
    assert run(["score", str(pred), "--resamples", "0", "--out", str(tmp_path)]) == 0
    assert _reported_lines(capsys.readouterr().out) == []
    assert not (tmp_path / "reported.json").exists()
    assert not (tmp_path / "reported.csv").exists()
