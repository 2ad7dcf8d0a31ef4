"""Speed of scoring a full CAMEO-sized run, against a naive scikit-learn loop in the same run.

    PYTHONPATH=src python benchmarks/bench_scoring.py [--naive-resamples 10]

Builds 41,265 synthetic predictions over the 13 corpora (each corpus with its Table 1 sample
count and label set, gold labels spread over its labels with a seeded imbalance, free-text
answers of the kinds models give), then times:

- reading them back from ``predictions.jsonl`` (``read_predictions``: JSON, schema and duplicate
  checks on every line), against the same read with every line checked by the jsonschema
  Draft 2020-12 validator;
- parsing every answer (``parse_predictions``: repeated (answer, labels) pairs parsed once), and
  ``parse_answer`` called on every row with no cache;
- the full report (``score_predictions``: overall + 8 languages + 13 datasets + 17 emotions,
  1,000 resamples each, plus the chance and majority references);
- the naive reference: per scope, a Python loop over resamples of index resampling and
  scikit-learn calls (accuracy, macro-F1, weighted-F1, and per-class F1 for the overall scope),
  on integer-coded labels, timed on ``--naive-resamples`` resamples per scope and extrapolated
  to 1,000.

Runs on one core (BLAS threads pinned to 1).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from cameo_bench.parse import parse_answer, parse_predictions  # noqa: E402
from cameo_bench.predictions import read_predictions, schema, write_predictions  # noqa: E402
from cameo_bench.records import Prediction  # noqa: E402
from cameo_bench.scores import scope_indices, score_predictions  # noqa: E402
from cameo_bench.vocab import CORPORA  # noqa: E402

N_RESAMPLES = 1000
ADJECTIVE = {"anger": "angry", "disgust": "disgusted", "fear": "fearful", "happiness": "happy",
             "sadness": "sad", "surprise": "surprised", "anxiety": "anxious", "calm": "calm"}
SENTENCES = ("The speaker sounds {a}.", "I think the emotion is {l}.", "{L}", "{l}", "{L}.",
             "Emotion: {l}", "{a}", "The tone suggests {a}, maybe {l2}.",
             "Based on the pitch, {l}. The speaker seems {a}.")
NON_ANSWERS = ("", "I cannot determine the emotion from this audio.", "Sorry, I can't help.")


def synthetic_predictions(seed: int = 0) -> list[Prediction]:
    """41,265 predictions: each corpus's Table 1 count, gold spread unevenly over its labels."""
    rng = random.Random(seed)
    out = []
    for split, info in CORPORA.items():
        labels = list(info.labels)
        weights = [rng.uniform(0.5, 1.5) for _ in labels]
        for i in range(info.samples):
            gold = rng.choices(labels, weights)[0]
            roll = rng.random()
            if roll < 0.04:
                response = rng.choice(NON_ANSWERS)
            else:
                said = gold if roll < 0.45 else rng.choice(labels)
                response = rng.choice(SENTENCES).format(
                    l=said, L=said.capitalize(), a=ADJECTIVE.get(said, said),
                    l2=rng.choice(labels)) + ("" if rng.random() < 0.8 else f" ({i})")
            out.append(Prediction(f"{split}-{i:05d}.flac", info.name, info.language, gold, labels,
                                  "bench-model", None, 0.0, "cameo-v1", response))
    return out


def jsonschema_read(path: Path) -> list[Prediction]:
    """The reference read: every line parsed and checked by the jsonschema Draft 2020-12
    validator (no duplicate check, so the reference is if anything flattered)."""
    import json

    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if next(iter(validator.iter_errors(obj)), None) is not None:
                raise ValueError(line)
            out.append(Prediction.from_dict(obj))
    return out


def time_reading(preds: list[Prediction]) -> None:
    """Print the seconds to read + validate ``preds`` from a file, and the ratio vs jsonschema."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_predictions(Path(tmp) / "predictions.jsonl", preds)
        read_predictions(path)  # compiles the schema once, as the first read of a process does
        start = time.perf_counter()
        rows = read_predictions(path)
        t_read = time.perf_counter() - start
        start = time.perf_counter()
        reference = jsonschema_read(path)
        t_reference = time.perf_counter() - start
    assert rows == reference
    print(f"read_predictions ({len(rows):,} rows, JSON + schema + duplicates): {t_read:.3f} s   "
          f"(jsonschema validator on every line: {t_reference:.3f} s, "
          f"{t_reference / t_read:.1f}x slower)")


def naive_report(preds: list[Prediction], resamples: int, seed: int = 0) -> float:
    """Seconds for ``resamples`` resamples per scope of the scikit-learn loop."""
    from sklearn.metrics import accuracy_score, f1_score

    classes = sorted({c for p in preds for c in p.labels})
    code = {c: i for i, c in enumerate(classes)}
    gold = np.array([code[p.emotion] for p in preds])
    pred = np.array([code.get(p.parsed, -1) for p in preds])
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for scope, _, idx in scope_indices(preds):
        labels = sorted({code[c] for i in idx for c in preds[i].labels})
        for _ in range(resamples):
            pick = idx[rng.integers(0, len(idx), len(idx))]
            g, q = gold[pick], pred[pick]
            accuracy_score(g, q)
            f1_score(g, q, labels=labels, average="macro", zero_division=0)
            f1_score(g, q, labels=labels, average="weighted", zero_division=0)
            if scope == "overall":
                f1_score(g, q, labels=labels, average=None, zero_division=0)
    return time.perf_counter() - start


def main() -> None:
    """Time reading, parsing, the vectorized report and the naive loop; print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--naive-resamples", type=int, default=10,
                        help="resamples per scope actually run by the naive loop")
    args = parser.parse_args()

    preds = synthetic_predictions()
    print(f"{len(preds):,} predictions, {len({p.response for p in preds}):,} distinct answers")

    time_reading(preds)

    start = time.perf_counter()
    parsed = parse_predictions(preds)
    t_parse = time.perf_counter() - start
    start = time.perf_counter()
    for p in preds:
        parse_answer(p.response, p.labels)
    t_parse_nocache = time.perf_counter() - start
    print(f"parse_predictions: {t_parse:.3f} s   (parse_answer on every row, no cache: "
          f"{t_parse_nocache:.3f} s)")

    parsed = [dataclasses.replace(p) for p in parsed]
    start = time.perf_counter()
    records = score_predictions(parsed, n_resamples=N_RESAMPLES, seed=0)
    t_report = time.perf_counter() - start
    groups = {(r.scope, r.group) for r in records if r.model == "bench-model"}
    counts = {s: sum(1 for g in groups if g[0] == s) for s in ("overall", "language", "dataset",
                                                                "emotion")}
    print(f"full report ({counts}, {N_RESAMPLES} resamples, + chance/majority, "
          f"{len(records)} records): {t_report:.3f} s")

    t_naive_part = naive_report(parsed, args.naive_resamples)
    t_naive = t_naive_part * N_RESAMPLES / args.naive_resamples
    print(f"naive scikit-learn loop: {t_naive_part:.2f} s for {args.naive_resamples} resamples "
          f"per scope -> {t_naive:.1f} s extrapolated to {N_RESAMPLES} (model rows only)")
    print(f"speed-up: {t_naive / t_report:.0f}x (report incl. references vs naive model-only)")


if __name__ == "__main__":
    main()
