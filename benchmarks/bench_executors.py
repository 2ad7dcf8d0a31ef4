"""Ray's overhead: clips/s of `cameo evaluate` through the Ray executor against the local one.

Input: the synthetic collection of CAMEO's size (``fullsize.full_collection``, cached;
``--scale`` for a smaller one). Model: ``random``, the instant model, so what is timed is the
executor itself (units read and shipped as FLAC bytes, Ray tasks, answers back to the one
writer). A local Ray instance with this machine's CPUs is started once (not timed); each run
starts and stops its workers (timed), into a fresh run folder, interleaved, ``--repeat`` times
(medians). Every run's predictions.jsonl must be the local run's bytes.

Goal (issue 12): >= 500 clips/s through Ray with 1 and 2 workers (a GPU spends ~10 ms per
clip, so the executor's cost per clip must stay well under that), printed as a ratio to the
local executor's clips/s measured in the same run.

    PYTHONPATH=src python benchmarks/bench_executors.py [--repeat 3] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cameo_bench.evaluation import RunConfig, evaluate  # noqa: E402
from fullsize import add_collection_options, collection_of  # noqa: E402

GOAL_RAY_CLIPS_PER_SECOND = 500


def timed_run(root: Path, out: Path, executor: str, workers: int | None) -> tuple[float, bytes]:
    """Seconds of one ``evaluate`` of ``random`` (workers started and stopped included) and
    its predictions file."""
    start = time.perf_counter()
    result = evaluate(RunConfig("random", root, executor=executor, workers=workers), out)
    seconds = time.perf_counter() - start
    assert result.complete and result.cached == 0
    return seconds, result.predictions.read_bytes()


def main(argv: list[str] | None = None) -> int:
    """Print clips/s of local and Ray (1, 2 workers) and Ray's ratio to local; exit 1 when
    Ray misses its goal or writes other bytes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_collection_options(parser)
    args = parser.parse_args(argv)
    import ray

    root = collection_of(args)
    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False,
             logging_level="ERROR")
    sides = {"local": ("local", None), "ray, 1 worker": ("ray", 1),
             "ray, 2 workers": ("ray", 2)}
    seconds: dict[str, list[float]] = {name: [] for name in sides}
    same = True
    try:
        with tempfile.TemporaryDirectory(prefix="bench_executors_") as tmp:
            reference = None
            for k in range(args.repeat):  # interleaved: every side sees the same machine load
                for i, (name, (executor, workers)) in enumerate(sides.items()):
                    took, data = timed_run(root, Path(tmp) / f"{k}-{i}", executor, workers)
                    seconds[name].append(took)
                    reference = reference if reference is not None else data
                    same &= data == reference
    finally:
        ray.shutdown()
    n = reference.count(b"\n")
    print(f"collection: {root} ({n} clips), model random; {os.cpu_count()} cores, median of "
          f"{args.repeat}; load average {os.getloadavg()[0]:.2f} after")
    rate = {name: n / statistics.median(times) for name, times in seconds.items()}
    for name, times in seconds.items():
        each = ", ".join(f"{t:.1f}" for t in times)
        print(f"{name:<16} {rate[name]:7.0f} clips/s  ({each} s)  "
              f"{rate[name] / rate['local']:.2f}x local")
    ray_rates = [rate["ray, 1 worker"], rate["ray, 2 workers"]]
    print(f"Ray: {min(ray_rates):.0f} clips/s at worst (goal >= {GOAL_RAY_CLIPS_PER_SECOND}); "
          f"predictions byte-identical to local: {same}")
    return 0 if same and min(ray_rates) >= GOAL_RAY_CLIPS_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
