"""Cost of verifying a full-size leaderboard submission against scoring the same predictions,
and cost of reading predictions as untrusted text against a plain reader, in the same run.

    PYTHONPATH=src python benchmarks/bench_leaderboard.py [--runs 1] [--resamples 1000]
        [--repeat 3] [--cli]

Builds the 41,265 synthetic predictions of ``bench_scoring`` (one run per temperature asked
for; ``--runs 3`` gives 123,795 rows), a collection index of their clips, and times (median of
``--repeat``):

- reading + validating: ``read_predictions`` (lines split at ``\\n`` only, safe JSON:
  duplicate keys, NaN, depth, digits, control/bidi characters, lone surrogates; schema;
  duplicate rows), against the plain reader it replaced in the same run (``json.loads`` per
  line + the same compiled schema + the same dataclass);
- ``cameo score``'s work: ``read_predictions``, ``parse_predictions`` and
  ``score_predictions``; against ``ResultsStore.submit``: bounded line scan, the same reading,
  collection coverage and labels, canonical rows, re-parsing, scoring, confusion matrices and
  the locked atomic writes of the store;
- ``read_board`` + ``write_site`` for the store;
- with ``--cli``, the two commands as a user runs them, each in a fresh process:
  ``cameo score PRED`` and ``cameo leaderboard submit PRED --meta M --results STORE``.

Prints each figure (wall and CPU time) and its ratio; exits 1 when submit takes more than
1.5x score's CPU time (the goal; CPU because on a shared machine the wall clock moves with the
load).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from bench_scoring import synthetic_predictions  # noqa: E402
from cameo_bench.leaderboard.board import read_board  # noqa: E402
from cameo_bench.leaderboard.results_store import CollectionIndex, ResultsStore  # noqa: E402
from cameo_bench.leaderboard.site import write_site  # noqa: E402
from cameo_bench.parse import parse_predictions  # noqa: E402
from cameo_bench.predictions import _fast_check, read_predictions, write_predictions  # noqa: E402
from cameo_bench.records import ClipRecord, Prediction  # noqa: E402
from cameo_bench.scores import score_predictions  # noqa: E402
from cameo_bench.vocab import CORPORA  # noqa: E402

GOAL = 1.5
CLI = "import sys; from cameo_bench.cli.app import main; sys.exit(main())"


def plain_read(path: Path) -> list[Prediction]:
    """The reader before the untrusted-text checks: ``json.loads`` per line, the same compiled
    schema, the same dataclass (no line limits, no duplicate-row check: flattered if anything)."""
    check, _ = _fast_check()
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                obj = json.loads(line)
                check(obj)
                out.append(Prediction(**obj))
    return out


def median_time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time (this process and its children) of ``repeat``
    calls of ``fn``; on a busy machine the CPU time moves much less than the wall time."""
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, wall = _cpu(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _cpu() -> float:
    own, children = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                     resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _command(*args: str) -> Callable[[], None]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}

    def run() -> None:
        subprocess.run([sys.executable, "-c", CLI, *args], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    return run


def _line(label: str, figure: tuple[float, float], base: tuple[float, float] | None = None,
          note: str = "") -> str:
    text = f"{label:38s}: {figure[0]:6.2f} s wall, {figure[1]:6.2f} s CPU"
    if base is not None:
        text += f"  ({figure[0] / base[0]:.2f}x wall, {figure[1] / base[1]:.2f}x CPU{note})"
    return text


def main() -> int:
    """Time reading, scoring, submitting and the site; print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="temperatures (runs) in the file")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--repeat", type=int, default=3, help="timings per figure (median)")
    parser.add_argument("--cli", action="store_true", help="also time the two commands")
    args = parser.parse_args()

    one_run = synthetic_predictions()
    temperatures = [round(0.3 * i, 1) for i in range(args.runs)]
    preds = [dataclasses.replace(p, temperature=t) for t in temperatures for p in one_run]
    licenses = {c.name: c.license for c in CORPORA.values()}
    index = CollectionIndex.from_records([
        ClipRecord(p.file_id, p.emotion, None, None, None, None, p.dataset, p.language,
                   licenses[p.dataset]) for p in one_run])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = write_predictions(tmp / "predictions.jsonl", preds)
        size = path.stat().st_size
        stores = iter([ResultsStore.create(tmp / f"store{i}", index)
                       for i in range(args.repeat)])  # empty stores, made before timing

        def submit() -> None:
            next(stores).submit(path, {"name": "bench"}, n_resamples=args.resamples)

        def score() -> None:
            rows = read_predictions(path)
            score_predictions(parse_predictions(rows, overwrite=True),
                              n_resamples=args.resamples)

        plain = median_time(lambda: plain_read(path), args.repeat)
        safe = median_time(lambda: read_predictions(path), args.repeat)
        baseline = median_time(score, args.repeat)
        submitted = median_time(submit, args.repeat)
        store = ResultsStore(tmp / "store0")
        start = time.perf_counter()
        page_size = write_site(read_board(store).to_json(), tmp / "site").stat().st_size
        site = time.perf_counter() - start
        if args.cli:
            meta = tmp / "meta.json"
            meta.write_text('{"name": "bench"}', encoding="utf-8")
            cli_score = median_time(_command("score", str(path), "--resamples",
                                             str(args.resamples)), args.repeat)
            cli_stores = iter([ResultsStore.create(tmp / f"cli{i}", index).root
                               for i in range(args.repeat)])

            def cli_submit() -> None:
                _command("leaderboard", "submit", str(path), "--meta", str(meta), "--results",
                         str(next(cli_stores)), "--resamples", str(args.resamples))()
            cli_submitted = median_time(cli_submit, args.repeat)

    goal = f"; goal <= {GOAL}x"
    print(f"{len(preds):,} predictions ({args.runs} run(s), {size / 2**20:.1f} MiB), "
          f"{args.resamples} resamples, median of {args.repeat}")
    print(_line("read + validate, plain reader", plain))
    print(_line("read + validate, untrusted-text rules", safe, plain))
    print(_line("score's work (read + parse + score)", baseline))
    print(_line("store.submit (verify + store)", submitted, baseline, goal))
    print(f"{'read_board + write_site':38s}: {site:6.2f} s wall  "
          f"(index.html {page_size / 1024:.0f} KiB)")
    ratios = [submitted[1] / baseline[1]]
    if args.cli:
        print(_line("cameo score (process)", cli_score))
        print(_line("cameo leaderboard submit (process)", cli_submitted, cli_score, goal))
        ratios.append(cli_submitted[1] / cli_score[1])
    return 0 if max(ratios) <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
