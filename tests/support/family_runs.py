"""The end-to-end check every transformers family passes on its tiny checkpoint: evaluate at
batch size 1 and 4 through ``hf:<folder>`` (the real loading path), greedy, then score."""

from __future__ import annotations

from pathlib import Path

from cameo_bench.evaluation import RunConfig, evaluate
from cameo_bench.predictions import read_predictions
from cameo_bench.records import UNPARSED
from cameo_bench.scores import score_predictions

#: Six noise clips of distinct lengths in two corpora.
LAYOUT = {"cafe": 3, "nemo": 3}


def _run(checkpoint: Path, collection: Path, out: Path, batch_size: int):
    return evaluate(RunConfig(f"hf:{checkpoint}", collection, batch_size=batch_size,
                              temperatures=(0.0,), max_new_tokens=4,
                              options={"dtype": "float32"}), out)


def check_batched_equals_unbatched(checkpoint: Path, collection: Path, tmp_path: Path) -> list:
    """Assert the batch-size-1 and batch-size-4 runs write byte-identical predictions whose
    answers depend on the audio and score; return the rows."""
    one = _run(checkpoint, collection, tmp_path / "b1", 1)
    four = _run(checkpoint, collection, tmp_path / "b4", 4)
    rows = read_predictions(four.predictions)
    assert len(rows) == sum(LAYOUT.values())
    assert {r.model for r in rows} == {checkpoint.name}
    assert all(r.model_revision.startswith("local-") for r in rows)
    assert all(r.error is None for r in rows)
    assert len({r.response for r in rows}) > 1, "every clip got the same answer"
    assert all(r.parsed in (*r.labels, UNPARSED) for r in rows)
    assert one.predictions.read_bytes() == four.predictions.read_bytes()
    overall = {s.metric: s.value for s in score_predictions(rows, n_resamples=0)
               if s.model == checkpoint.name and s.scope == "overall"}
    assert overall["accuracy"] == sum(r.parsed == r.emotion for r in rows) / len(rows)
    assert overall["unparsed_rate"] == sum(r.parsed == UNPARSED for r in rows) / len(rows)
    return rows
