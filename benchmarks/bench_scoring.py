"""Speed of scoring a full CAMEO-sized run: ``cameo score`` from process start against the bare
read of its input in the same run, and the scorer against a naive scikit-learn loop.

    PYTHONPATH=src python benchmarks/bench_scoring.py [--repeat 3] [--naive-resamples 10]
        [--before OLD_CHECKOUT/src]

Builds 41,265 synthetic predictions over the 13 corpora (each corpus with its Table 1 sample
count and label set, gold labels spread over its labels with a seeded imbalance, free-text
answers of the kinds models give), then times, each the median of ``--repeat`` fresh processes:

- ``cameo score`` of one run (the file as ``cameo evaluate`` writes it: answers parsed), of
  three runs (three temperatures, 123,795 rows), and of one run with ``--out`` (the score
  files and ``report.html``), from process start to exit; the floor beside them is a process
  that only reads the same file's lines as JSON (``json.loads`` per line, nothing else). Goals
  (issue 15): one run ≤ 1 s, three runs ≤ 3 s, with ``--out`` ≤ 2 s; the script exits 1 when
  one is missed. With ``--before SRC``, each is also timed with the package of that source
  folder (an older checkout), in the same run;
- where one run's time goes, in one process: imports, reading + validating
  (``load_predictions``), scoring, printing the tables, writing the files and the page;

and, in this process:

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
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
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


#: (what, cameo arguments after the file(s), runs in the file, goal in seconds)
PROCESS_CASES = (("cameo score, 1 run", (), 1, 1.0),
                 ("cameo score, 3 runs", (), 3, 3.0),
                 ("cameo score --out (files + report.html), 1 run", ("--out", "{out}"), 1, 2.0))
_FLOOR = "import json, sys\nwith open(sys.argv[1], encoding='utf-8') as f:\n    " \
         "rows = [json.loads(line) for line in f]"
_BREAKDOWN = """
import io, sys, time
t0 = time.perf_counter()
from cameo_bench.cli import app
from cameo_bench.cli.app import collector_paused
from cameo_bench.cli.scoring import load_predictions
from cameo_bench.html_report import write_html_report
from cameo_bench.paper import reported_for_runs
from cameo_bench.report import print_score_tables, write_score_files
from cameo_bench.scores import score_runs
from rich.console import Console
from pathlib import Path
t1 = time.perf_counter()
with collector_paused():  # as cameo score runs
    preds = load_predictions([Path(sys.argv[1])])
    t2 = time.perf_counter()
    scored = score_runs(preds, checked=True)
    reported = reported_for_runs(scored.coverage)
    t3 = time.perf_counter()
    print_score_tables(scored.records, Console(file=io.StringIO(), width=120), reported)
    t4 = time.perf_counter()
    write_score_files(scored.records, sys.argv[2], reported)
    write_html_report(preds, scored.records, sys.argv[2], reported=reported,
                      confusions=scored.confusions)
    t5 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)
"""


def _seconds(argv: list[str], repeat: int, src: str | None = None) -> tuple[float, float]:
    """Median wall and CPU (user + system) seconds of ``python ARGV`` in a fresh process, from
    start to exit (with ``src``: the package imported from that source folder instead)."""
    path = [src] if src else [p for p in sys.path if p]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path), "COLUMNS": "120"}
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, *argv], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def time_processes(preds: list[Prediction], repeat: int, before: str | None = None) -> bool:
    """Print ``cameo score`` from process start beside the bare JSON read of its input (and
    beside ``cameo score`` of the ``before`` source folder, when given); the breakdown of one
    run; whether every goal is met."""
    parsed = parse_predictions(preds)
    met = True
    with tempfile.TemporaryDirectory() as tmp:
        files = [write_predictions(Path(tmp) / f"run{i}.jsonl",
                                   [dataclasses.replace(p, temperature=0.3 * i) for p in parsed])
                 for i in range(3)]
        _seconds(["-m", "cameo_bench", "score", str(files[0]), "--out", str(Path(tmp) / "w")],
                 1)  # warm-up: byte-compiles the modules, fills the OS file cache
        for what, extra, runs, goal in PROCESS_CASES:
            argv = ["-m", "cameo_bench", "score", *map(str, files[:runs]),
                    *(a.format(out=Path(tmp) / "out") for a in extra)]
            t, cpu = _seconds(argv, repeat)
            floors = [_seconds(["-c", _FLOOR, str(f)], repeat) for f in files[:runs]]
            floor, floor_cpu = sum(f[0] for f in floors), sum(f[1] for f in floors)
            met &= t <= goal
            print(f"{what}: {t:.2f} s from process start ({cpu:.2f} CPU s), {t / runs:.2f} s "
                  f"per run (goal {goal:.0f} s: {'met' if t <= goal else 'MISSED'}); floor, a "
                  f"process reading the lines as JSON: {floor:.2f} s ({floor_cpu:.2f} CPU s), "
                  f"ratio {t / floor:.2f}x ({cpu / floor_cpu:.2f}x)")
            if before:
                then, then_cpu = _seconds(argv, repeat, before)
                print(f"  the same with {before}: {then:.2f} s ({then_cpu:.2f} CPU s), now / "
                      f"then {t / then:.2f}x ({cpu / then_cpu:.2f}x)")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        out = subprocess.run([sys.executable, "-c", _BREAKDOWN, str(files[0]),
                              str(Path(tmp) / "parts")], env=env, check=True,
                             capture_output=True, text=True).stdout
    parts = dict(zip(("imports", "reading + validating", "scoring", "printing the tables",
                      "files + report.html"), map(float, out.split()), strict=True))
    total = sum(parts.values())
    print("one run, in one process: " + ", ".join(
        f"{name} {t:.2f} s ({t / total:.0%})" for name, t in parts.items()))
    return met


def main() -> None:
    """Time ``cameo score`` processes, reading, parsing, the vectorized report and the naive
    loop; print figures and ratios; exit 1 when a process goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3,
                        help="processes per figure (the median is printed)")
    parser.add_argument("--naive-resamples", type=int, default=10,
                        help="resamples per scope actually run by the naive loop")
    parser.add_argument("--before", metavar="SRC",
                        help="also time cameo score of the package in this source folder (e.g. "
                        "an older checkout's src/), in the same run")
    args = parser.parse_args()

    preds = synthetic_predictions()
    print(f"{len(preds):,} predictions, {len({p.response for p in preds}):,} distinct answers")
    met = time_processes(preds, args.repeat, args.before)

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
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
