"""Rendering of score records: the paper's number format, deterministic files, full tables."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from functools import partial

import numpy as np
import pytest
from rich.console import Console

from cameo_bench.errors import CameoError
from cameo_bench.records import UNPARSED
from cameo_bench.report import format_value, json_text, print_score_tables, write_score_files
from cameo_bench.scores import ScoreRecord, score_predictions
from support.golden import GOLDEN, RESAMPLES, SEED, check_golden, golden_predictions
from support.scoring_data import make_predictions


def test_value_prints_as_the_paper_does():
    rec = ScoreRecord("m", 0.0, "p", "overall", "all", "macro_f1", 0.18912, 0.1834, 0.1948, 9)
    assert format_value(rec) == "0.189 ± 0.0057"
    assert format_value(ScoreRecord("m", 0.0, "p", "overall", "all", "accuracy", 0.39, None,
                                    None, 9)) == "0.390"


def test_files_are_tidy_and_byte_identical(tmp_path):
    records = score_predictions(make_predictions(), n_resamples=50)
    first = write_score_files(records, tmp_path / "a")
    second = write_score_files(records, tmp_path / "b")
    assert [p.name for p in first] == ["scores.json", "scores.csv", "scores.md", "scores.tex"]
    for x, y in zip(first, second, strict=True):
        assert x.read_bytes() == y.read_bytes()
    rows = json.loads(first[0].read_text())
    assert [ScoreRecord(**r) for r in rows] == records
    assert {r["model"] for r in rows} >= {"chance", "majority"}
    table = list(csv.DictReader(io.StringIO(first[1].read_text())))
    assert len(table) == len(records) and table[0]["scope"] == "overall"
    assert {r["clips"] for r in table} == {"150"}
    md = first[2].read_text()
    for title in ("## Overall", "## Macro-F1 per language", "## Macro-F1 per dataset",
                  "## F1 per emotion", "## Unparsed rate per group",
                  "## Answers per label (share of clips)"):
        assert title in md
    tex = first[3].read_text()
    assert tex.count(r"\begin{tabular}") == 6 and r"$\pm$" in tex and "±" not in tex
    assert r"\%" in tex


def test_terminal_tables_fit_the_width_and_lose_nothing():
    records = score_predictions(make_predictions("a-rather-long/model-name-v1"), n_resamples=20)
    out = io.StringIO()
    print_score_tables(records, Console(file=out, width=60))
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 60
    text = "\n".join(lines)
    assert "…" not in text
    assert "a-rather-long/" in text and "model-name-v1 T=0" in text
    overall = next(r for r in records if (r.model, r.metric) == ("majority", "accuracy"))
    value, half = format_value(overall).split(" ± ")
    assert any(value in line for line in lines) and any(f"± {half}" in line for line in lines)


def test_an_all_zero_unparsed_table_is_one_line():
    preds = [dataclasses.replace(p, response=p.emotion) for p in make_predictions()]
    out = io.StringIO()
    print_score_tables(score_predictions(preds, n_resamples=0), Console(file=out, width=100))
    text = out.getvalue()
    assert "Unparsed rate per group: no unparsed answers" in text
    assert "┃ scope " not in text  # the only table with a scope column is not drawn


def test_a_degenerate_run_is_flagged_in_the_terminal_and_the_markdown(tmp_path):
    parrot = [dataclasses.replace(p, model="parrot", response="neutral" if "neutral" in p.labels
                                  else "") for p in make_predictions()]
    records = score_predictions(parrot + make_predictions(), n_resamples=0)
    out = io.StringIO()
    print_score_tables(records, Console(file=out, width=100))
    md = next(p for p in write_score_files(records, tmp_path) if p.name == "scores.md")
    for text in (out.getvalue(), md.read_text(encoding="utf-8")):
        assert "Degenerate run: parrot T=0 answers 'neutral' for" in text.replace("\n", " ")
        assert "Degenerate run: m T=0" not in text


def test_scores_json_never_holds_nan(tmp_path):
    preds = [dataclasses.replace(p, temperature=float("nan")) for p in make_predictions()]
    records = score_predictions(preds, n_resamples=0)
    with pytest.raises(CameoError, match=r"scores.json: not written: it would hold NaN or "
                       r"infinity at \[0\]\['temperature'\]"):
        write_score_files(records, tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert json_text({"a": [1.5, None]}, "x") == '{\n "a": [\n  1.5,\n  null\n ]\n}\n'


def test_a_pipe_in_a_model_name_does_not_break_the_markdown(tmp_path):
    records = score_predictions(make_predictions("org/a|b"), n_resamples=0)
    md = next(p for p in write_score_files(records, tmp_path) if p.name == "scores.md")
    overall = md.read_text().split("## Overall\n\n")[1].split("\n\n")[0].splitlines()
    assert overall[2].startswith("| org/a\\|b T=0 | ")
    assert all(line.count(" | ") == overall[0].count(" | ") for line in overall[2:])


def test_scores_md_matches_the_golden_file(tmp_path):
    records = score_predictions(golden_predictions(), n_resamples=RESAMPLES, seed=SEED)
    (path,) = [p for p in write_score_files(records, tmp_path) if p.name == "scores.md"]
    check_golden("scores.md", path.read_text(encoding="utf-8"))


def _md_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """The golden's tables as {title: [row as {header: cell}]}."""
    tables = {}
    for block in text.split("\n## ")[1:]:
        title, _, body = block.partition("\n\n")
        lines = [line.strip("|").split(" | ") for line in body.strip().splitlines()]
        header, rows = [h.strip() for h in lines[0]], lines[2:]
        tables[title] = [dict(zip(header, [c.strip() for c in row], strict=True)) for row in rows]
    return tables


def test_golden_scores_md_numbers_equal_sklearn():
    """The golden's values, read from the file, against scikit-learn on the input (not against
    the scorer), and its ``±`` against a naive index bootstrap of the overall metrics."""
    from sklearn.metrics import accuracy_score, f1_score

    preds = golden_predictions()
    tables = _md_tables((GOLDEN / "scores.md").read_text(encoding="utf-8"))

    def value(cell: str) -> float:
        return float(cell.split(" ± ")[0])

    def sk(rows, metric: str) -> float:
        gold, pred = [p.emotion for p in rows], [p.parsed for p in rows]
        labels = sorted({c for p in rows for c in p.labels})
        if metric == "accuracy":
            return accuracy_score(gold, pred)
        if metric == "unparsed":
            return float(np.mean([p == UNPARSED for p in pred]))
        return f1_score(gold, pred, labels=labels, average=metric, zero_division=0)

    checked = 0
    for t, column in ((0.0, "golden/model T=0"), (0.7, "golden/model T=0.7")):
        run = [p for p in preds if p.temperature == t]
        (overall,) = [r for r in tables["Overall"] if r["run"] == column]
        for header, metric in (("macro-F1", "macro"), ("weighted-F1", "weighted"),
                               ("accuracy", "accuracy"), ("unparsed", "unparsed")):
            assert value(overall[header]) == round(sk(run, metric), 3), (column, header)
            checked += 1
        for title, attr in (("Macro-F1 per language", "language"),
                            ("Macro-F1 per dataset", "dataset")):
            for row in tables[title]:
                rows = [p for p in run if getattr(p, attr) == row["group"]]
                assert int(row["n"]) == len(rows)
                assert value(row[column]) == round(sk(rows, "macro"), 3), (column, row)
                checked += 1
        labels = sorted({c for p in run for c in p.labels})
        per_class = f1_score([p.emotion for p in run], [p.parsed for p in run], labels=labels,
                             average=None, zero_division=0)
        for row in tables["F1 per emotion (full corpus)"]:
            assert value(row[column]) == round(per_class[labels.index(row["group"])], 3)
            checked += 1
        for row in tables["Unparsed rate per group"]:
            rows = [p for p in run if (p.emotion if row["scope"] == "emotion"
                                       else getattr(p, row["scope"])) == row["group"]]
            assert value(row[column]) == round(sk(rows, "unparsed"), 3), (column, row)
            checked += 1
        # the interval: a naive bootstrap (clip indices, scikit-learn) gives about the same width
        rng = np.random.default_rng(7)
        draws = [rng.integers(0, len(run), len(run)) for _ in range(400)]
        gold, pred = np.array([p.emotion for p in run]), np.array([p.parsed for p in run])
        macro = partial(f1_score, labels=labels, average="macro", zero_division=0)
        for header, score in (("macro-F1", macro), ("accuracy", accuracy_score)):
            dist = [score(gold[d], pred[d]) for d in draws]
            naive = (np.percentile(dist, 97.5) - np.percentile(dist, 2.5)) / 2
            assert abs(float(overall[header].split(" ± ")[1]) - naive) < 0.02, (column, header)
    clips = [p for p in preds if p.temperature == 0.0]
    (chance,) = [r for r in tables["Overall"] if r["run"] == "chance"]
    assert value(chance["accuracy"]) == round(np.mean([1 / len(p.labels) for p in clips]), 3)
    (majority,) = [r for r in tables["Overall"] if r["run"] == "majority"]
    top = max(sorted({p.emotion for p in clips}), key=[p.emotion for p in clips].count)
    assert value(majority["accuracy"]) == round(
        accuracy_score([p.emotion for p in clips], [top] * len(clips)), 3)
    answers = {row["label"]: row for row in tables["Answers per label (share of clips)"]}
    for t, column in ((0.0, "golden/model T=0"), (0.7, "golden/model T=0.7")):
        run = [p.parsed for p in preds if p.temperature == t]
        for label, row in answers.items():
            assert row[column] == f"{100 * run.count(label) / len(run):.1f}%", (column, label)
            checked += 1
    for label, row in answers.items():
        gold = [p.emotion for p in clips].count(label)
        assert row["gold"] == ("" if label == UNPARSED else f"{100 * gold / len(clips):.1f}%")
    assert checked == 2 * (4 + 3 + 3 + 8 + 14 + 9)


def test_records_written_before_coverage_and_answer_shares_still_render():
    """A results store keeps records of older versions: no clips, fingerprint nor
    answer_share. They print; a paper system's numbers stay hidden (coverage unknown)."""
    from cameo_bench.paper import read_paper_results, reported_for
    from cameo_bench.report import score_report

    qwen = "Qwen/Qwen2-Audio-7B-Instruct"
    old = [dataclasses.replace(r, clips=None, fingerprint=None)
           for r in score_predictions(make_predictions(qwen), n_resamples=0)
           if r.metric != "answer_share"]
    reported = {(qwen, 0.0, "cameo-v1"): reported_for(qwen, 0.0, "cameo-v1",
                                                      read_paper_results())}
    report = score_report(old, reported)
    assert [t.title for t in report.tables][-1] == "Unparsed rate per group"
    assert report.reported == {}
    assert report.notes == [f"The paper's reported numbers for {qwen} T=0 are not shown: this "
                            "run covers an unknown set of clips, the paper's numbers the full "
                            "collection (41,265 clips of 13 corpora): they are not comparable."]
    out = io.StringIO()
    print_score_tables(old, Console(file=out, width=80), reported)
    assert "Overall" in out.getvalue()
