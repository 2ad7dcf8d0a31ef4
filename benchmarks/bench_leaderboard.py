"""Cost of verifying a full-size leaderboard submission, against scoring the same predictions
directly in the same run.

    PYTHONPATH=src python benchmarks/bench_leaderboard.py [--runs 1] [--resamples 1000]

Builds the 41,265 synthetic predictions of ``bench_scoring`` (one run per temperature asked
for), a collection index of their clips, and times:

- the baseline: ``read_predictions`` of the file, then ``parse_predictions`` +
  ``score_predictions`` (what ``cameo score`` does);
- ``ResultsStore.submit``: bounded line scan, schema, collection coverage and labels, re-parsing,
  scoring, confusion matrices and the atomic writes of the store;
- ``read_board`` + ``write_site`` for the store.

Prints each time and the ratio submit / baseline (the price of verification and storage).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from bench_scoring import synthetic_predictions  # noqa: E402
from cameo_bench.leaderboard.board import read_board  # noqa: E402
from cameo_bench.leaderboard.results_store import CollectionIndex, ResultsStore  # noqa: E402
from cameo_bench.leaderboard.site import write_site  # noqa: E402
from cameo_bench.parse import parse_predictions  # noqa: E402
from cameo_bench.predictions import read_predictions, write_predictions  # noqa: E402
from cameo_bench.records import ClipRecord  # noqa: E402
from cameo_bench.scores import score_predictions  # noqa: E402
from cameo_bench.vocab import CORPORA  # noqa: E402


def main() -> None:
    """Time the baseline, the submission and the site build; print figures and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="temperatures (runs) in the file")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    args = parser.parse_args()

    one_run = synthetic_predictions()
    temperatures = [round(0.3 * i, 1) for i in range(args.runs)]
    preds = [dataclasses.replace(p, temperature=t) for t in temperatures for p in one_run]
    licenses = {c.name: c.license for c in CORPORA.values()}
    index = CollectionIndex.from_records([
        ClipRecord(p.file_id, p.emotion, None, None, None, None, p.dataset, p.language,
                   licenses[p.dataset]) for p in one_run])
    with tempfile.TemporaryDirectory() as tmp:
        path = write_predictions(Path(tmp) / "predictions.jsonl", preds)
        size = path.stat().st_size

        start = time.perf_counter()
        rows = read_predictions(path)
        score_predictions(parse_predictions(rows, overwrite=True), n_resamples=args.resamples)
        baseline = time.perf_counter() - start

        store = ResultsStore.create(Path(tmp) / "store", index)
        start = time.perf_counter()
        store.submit(path, {"name": "bench"}, n_resamples=args.resamples)
        submit = time.perf_counter() - start

        start = time.perf_counter()
        page = write_site(read_board(store).to_json(), Path(tmp) / "site")
        site = time.perf_counter() - start
        page_size = page.stat().st_size

    print(f"{len(preds):,} predictions ({args.runs} run(s), {size / 2**20:.1f} MiB), "
          f"{args.resamples} resamples")
    print(f"baseline read + parse + score : {baseline:7.2f} s")
    print(f"store.submit (verify + store) : {submit:7.2f} s")
    print(f"read_board + write_site       : {site:7.2f} s  (index.html {page_size / 1024:.0f} KiB)")
    print(f"ratio submit / baseline       : {submit / baseline:7.2f}x")


if __name__ == "__main__":
    main()
