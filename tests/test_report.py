"""Rendering of score records: the paper's number format, deterministic files, full tables."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console

from cameo_bench.report import format_value, print_score_tables, write_score_files
from cameo_bench.scores import ScoreRecord, score_predictions
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
    md = first[2].read_text()
    for title in ("## Overall", "## Macro-F1 per language", "## Macro-F1 per dataset",
                  "## F1 per emotion", "## Unparsed rate per group"):
        assert title in md
    tex = first[3].read_text()
    assert tex.count(r"\begin{tabular}") == 5 and r"$\pm$" in tex and "±" not in tex


def test_terminal_tables_are_never_truncated():
    records = score_predictions(make_predictions("a-rather-long/model-name-v1"), n_resamples=20)
    out = io.StringIO()
    print_score_tables(records, Console(file=out, width=60))
    text = out.getvalue()
    assert "…" not in text
    assert "a-rather-long/model-name-v1 T=0" in text
    overall = next(r for r in records if (r.model, r.metric) == ("majority", "accuracy"))
    assert format_value(overall) in text
