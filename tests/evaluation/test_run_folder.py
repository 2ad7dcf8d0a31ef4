"""run_folder: reading a run's predictions files."""

from __future__ import annotations

import dataclasses

from cameo_bench.evaluation.run_folder import load_rows
from cameo_bench.predictions import write_predictions
from support.scoring_data import make_predictions


def test_line_separators_inside_an_answer_do_not_split_its_line(tmp_path):
    """A real server returned U+2028 and U+0085 in answers; ``str.splitlines`` split the JSON
    line there and the run folder could never be read again."""
    rows = make_predictions(per_corpus=2)[:3]
    odd = [dataclasses.replace(r, response=f"happy\u2028{i}\x85\u2029 yes\x1c")
           for i, r in enumerate(rows)]
    path = write_predictions(tmp_path / "predictions.jsonl", odd)
    assert load_rows(path) == odd
